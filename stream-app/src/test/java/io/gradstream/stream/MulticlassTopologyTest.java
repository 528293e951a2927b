package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradstream.avro.Prediction;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.cli.MulticlassReplayTest;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Classes;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.gradstream.learn.optim.LrSchedule;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.Replay;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Multi-class models on the stream: the streams of multiclass-torch.json (labels by name and by
 * index, some no class takes) give replay's models bit for bit, judged, with the record cache and
 * without it (every model written and read back at each event); each refused label is a dead
 * letter with its reason, each step a metric whose y is the label's probability, and a prediction
 * carries the probabilities and label replay's model gives.
 */
class MulticlassTopologyTest {
  static Stream<Arguments> cases() throws Exception {
    final List<Arguments> cases = new ArrayList<>();
    for (final JsonNode c : MulticlassReplayTest.references()) {
      cases.add(Arguments.of(c.path("name").asText(), c, 10485760L));
      cases.add(Arguments.of(c.path("name").asText(), c, 0L));
    }
    return cases.stream();
  }

  /** The spec a case's flags make. */
  static ModelSpec spec(final JsonNode c) {
    final List<String> names = new ArrayList<>();
    c.path("names").forEach(n -> names.add(n.asText()));
    final Classes classes = names.isEmpty() ? Classes.numbered(c.path("classes").asInt())
        : Classes.named(names);
    final int[] hidden = new int[c.path("hidden").size()];
    for (int l = 0; l < hidden.length; l++) {
      hidden[l] = c.path("hidden").get(l).asInt();
    }
    final OptimizerSettings optimizer = new OptimizerSettings(
        OptimizerKind.named(c.path("optimizer").asText()), null, null, null, null, null,
        c.has("weightDecay") ? c.path("weightDecay").asDouble() : null, null, null, null,
        LrSchedule.CONSTANT, null, 0.0);
    return new ModelSpec(c.path("features").asInt(), false, Activation.SIGMOID,
        c.path("lr").asDouble(), null, 0.0, Loss.crossEntropy(classes), optimizer,
        hidden.length == 0 ? HiddenLayers.NONE
            : HiddenLayers.of(hidden, Activation.TANH, c.path("seed").asLong()));
  }

  @ParameterizedTest(name = "{0} cache {2}")
  @MethodSource("cases")
  void streamLearnsAsReplayAndRefusesWhatNoClassTakes(final String name, final JsonNode c,
      final long cacheBytes) throws Exception {
    final ModelSpec spec = spec(c);
    final EventRules rules = EventRules.of(LabelTtl.defaults());
    final StringBuilder lines = new StringBuilder();
    c.path("lines").forEach(e -> lines.append(e.asText()).append('\n'));
    final Replay replay = new Replay(spec, rules);
    replay.train(new StringReader(lines.toString()), (line, reason, detail) -> { });

    try (TopologyHarness stream = new TopologyHarness(spec, rules, InputFormat.JSON,
        Map.of(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(cacheBytes)))) {
      final Instant start = Instant.parse("2026-01-01T00:00:00Z");
      int n = 0;
      for (final JsonNode e : c.path("lines")) {
        final String event = e.asText();
        stream.send(ModelJson.MAPPER.readTree(event).path("key").asText(),
            event.getBytes(StandardCharsets.UTF_8), start.plusMillis(n++));
      }
      long trained = 0;
      for (final Map.Entry<String, Model> entry : replay.models().entrySet()) {
        final Model served = stream.model(entry.getKey());
        assertThat(ModelJson.of(served, spec.classes()).toString()).as(entry.getKey())
            .isEqualTo(ModelJson.of(entry.getValue(), spec.classes()).toString());
        MulticlassReplayTest.assertModel(name, ModelJson.of(served),
            c.path("models").path(entry.getKey()));
        trained += served.count();
      }
      final List<TestRecord<byte[], byte[]>> metrics = stream.metrics.readRecordsToList();
      assertThat(metrics).hasSize((int) trained);
      for (final TestRecord<byte[], byte[]> r : metrics) {
        final TrainingMetric metric = ReleasedSchemas.trainingMetrics().decode(r.value());
        assertThat(metric.getY()).as("the label's probability").isBetween(0.0, 1.0);
        assertThat(metric.getE()).isEqualTo(1.0 - metric.getY());
        assertThat(metric.getLoss()).isEqualTo(-Math.log(metric.getY()),
            within(1e-12));
      }
      // a prediction of each model: its probabilities and label, as replay's model gives them
      final Learner learner = Learner.of(spec);
      final StepResult expected = new StepResult();
      final double[] x = new double[spec.features()];
      Arrays.fill(x, 0.75);
      for (final Map.Entry<String, Model> entry : replay.models().entrySet()) {
        final String event = "{\"x\": " + Arrays.toString(x) + ", \"id\": \"p\"}";
        stream.send(entry.getKey(), event.getBytes(StandardCharsets.UTF_8), start.plusMillis(n++));
        final Prediction prediction = stream.readPredictions().get(0);
        assertThat(learner.predict(entry.getValue(), x, expected)).isEqualTo(Verdict.PREDICTED);
        assertThat(prediction.getProbabilities()).containsExactly(
            Arrays.stream(expected.probabilities()).boxed().toArray(Double[]::new));
        assertThat(prediction.getLabel()).isEqualTo(spec.classes().name(expected.label()));
        assertThat(prediction.getY()).isEqualTo(expected.y())
            .isEqualTo(expected.probabilities()[expected.label()]);
      }
      final List<TestRecord<byte[], byte[]>> dead = stream.deadLetters.readRecordsToList();
      assertThat(dead).hasSize(c.path("lines").size() - (int) trained);
      for (final TestRecord<byte[], byte[]> r : dead) {
        assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(),
            StandardCharsets.UTF_8)).isEqualTo("label-out-of-range");
        assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.DETAIL).value(),
            StandardCharsets.UTF_8)).matches(c.has("names")
                ? "(no class is named 'no-such-class'|d is 3.0, not a class index 0..2).*"
                : "d is \\d+\\.\\d, not a class index 0\\.\\." + (spec.classes().count() - 1));
      }
    }
  }
}
