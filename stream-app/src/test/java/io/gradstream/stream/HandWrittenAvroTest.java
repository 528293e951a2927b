package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.avro.ModelState;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.events.AvroEventDecoder;
import io.gradstream.events.EventFields;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.Neuron;
import io.gradstream.learn.StepResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The per-event codecs write and read Avro binary by hand; here their bytes are held equal to
 * what Avro's generated classes write, and what they read equal to what those classes read.
 */
class HandWrittenAvroTest {
  static {
    AvroSafety.install();
  }

  private final Random random = new Random(5);

  @Test
  void storedModelsAreByteForByteTheGeneratedModelState() throws Exception {
    final java.util.SortedMap<String, String> settings =
        new ModelSpec(1, false, Activation.TANH, 0.05, null, 0).stepSettings();
    final ModelSerde serde = new ModelSerde(settings);
    for (int n = 0; n < 40; n++) {
      final boolean bias = n % 2 == 0;
      // the last one outgrows the writer's first buffer
      final Model model = new Model(gaussian(n == 39 ? 300 : 1 + n % 7), bias,
          random.nextGaussian(), n == 38 ? Long.MAX_VALUE : random.nextInt(1_000_000),
          random.nextDouble() * 1e6);
      final byte[] expected = AvroValues.bytes(ModelState.getEncoder(), new ModelState(
          AvroValues.list(model.weights()), bias ? model.bias() : null, model.count(),
          model.lossSum(), List.of(), settings));
      assertThat(serde.toBytes(model)).isEqualTo(expected);
      assertThat(serde.read(expected).settings()).isEqualTo(settings);
      final Model back = serde.fromBytes(expected);
      assertThat(back.weights()).containsExactly(model.weights());
      assertThat(back.hasBias()).isEqualTo(bias);
      assertThat(back.count()).isEqualTo(model.count());
      assertThat(back.lossSum()).isEqualTo(model.lossSum());
    }
  }

  @Test
  void metricsAreByteForByteTheGeneratedTrainingMetric() {
    final MetricEncoder encoder = new MetricEncoder();
    for (int n = 1; n < 30; n++) {
      final boolean bias = n % 2 == 1;
      final ModelSpec spec = new ModelSpec(n % 6 + 1, bias, Activation.TANH, 0.1, null, 0);
      final Model model = Model.initial(spec);
      final StepResult step = new StepResult();
      new Neuron(spec).learn(model, gaussian(spec.features()), random.nextGaussian(), step);
      final String topic = n % 3 == 0 ? "training-events" : "other-events";
      final long offset = n == 29 ? Long.MAX_VALUE : 1000L * n;
      final TrainingMetric metric = new TrainingMetric("key-" + n + "-é", model.count(), topic, n,
          offset, step.net(), step.y(), step.e(), step.fPrime(),
          step.loss(), AvroValues.list(step.gradient()), bias ? step.biasGradient() : null,
          step.gradientNorm(), AvroValues.list(model.weights()), bias ? model.bias() : null);
      assertThat(encoder.encode(("key-" + n + "-é").getBytes(StandardCharsets.UTF_8), topic, n,
          offset, step, model))
          .isEqualTo(AvroValues.bytes(TrainingMetric.getEncoder(), metric));
    }
  }

  @Test
  void eventsReadAsTheGeneratedLabeledEventReadsThem() throws Exception {
    final AvroEventDecoder decoder = new AvroEventDecoder();
    final EventFields fields = new EventFields();
    for (int n = 0; n < 30; n++) {
      final double[] x = gaussian(n % 5);
      final Instant time = n % 3 == 0 ? null : Instant.ofEpochMilli(1_700_000_000_000L + n);
      final LabeledEvent event = new LabeledEvent(AvroValues.list(x), random.nextGaussian(), time);
      decoder.decode(AvroValues.bytes(LabeledEvent.getEncoder(), event), fields);
      assertThat(fields.x).containsExactly(x);
      assertThat(fields.d).isEqualTo(event.getD());
      assertThat(fields.eventTime).isEqualTo(time == null ? EventFields.NO_TIME
          : time.toEpochMilli());
    }
  }

  private double[] gaussian(final int n) {
    final double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10);
    }
    return v;
  }
}
