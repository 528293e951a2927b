package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradstream.avro.AvroValues;
import io.gradstream.avro.Framing;
import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.Network;
import io.gradstream.learn.Neuron;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.StepResults;
import io.gradstream.learn.evaluate.PageHinkley;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.registry.RegistryFraming;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * A topic in a registry's framing carries each record's body exactly as single-object encoding
 * does, behind the id its version was registered under: every version a topic is written in has
 * one, and the records of one output, a network and a drift each name their own.
 */
class RegistryFramedRecordsTest {
  private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

  /** Ids 100, 101, ... for {@code schemas} in order, as a registry would give them. */
  private static Framing registry(final List<Schema> schemas) {
    final Map<Long, Integer> ids = new HashMap<>();
    for (int i = 0; i < schemas.size(); i++) {
      ids.put(AvroValues.fingerprint(schemas.get(i)), 100 + i);
    }
    return fingerprint -> {
      final Integer id = ids.get(fingerprint);
      if (id == null) {
        throw new IllegalArgumentException("not registered");
      }
      return RegistryFraming.header(id);
    };
  }

  private static void assertSameBodyBehindId(final byte[] framed, final byte[] singleObject,
      final int id) {
    assertThat(RegistryFraming.id(framed)).isEqualTo(id);
    assertThat(Arrays.copyOfRange(framed, RegistryFraming.HEADER_LENGTH, framed.length))
        .isEqualTo(Arrays.copyOfRange(singleObject, AvroValues.HEADER_LENGTH,
            singleObject.length));
  }

  @Test
  void metricsOfANeuronAndOfANetworkNameTheirVersionsIds() {
    final ModelSpec neuronSpec = new ModelSpec(2, true, Activation.TANH, 0.1, null, 0);
    final Model neuron = Model.initial(neuronSpec);
    final StepResult step = new StepResult();
    new Neuron(neuronSpec).learn(neuron, new double[] {0.5, -1}, 0.5, step);
    final Framing framing = registry(MetricEncoder.SCHEMAS);
    assertSameBodyBehindId(
        new MetricEncoder(MetricsDetail.SUMMARY, null, framing).encode(KEY, "t", 0, 9L, step,
            neuron, "id-1", null, 0L, null),
        new MetricEncoder(MetricsDetail.SUMMARY, null, Framing.SINGLE_OBJECT).encode(KEY, "t", 0,
            9L, step, neuron, "id-1", null, 0L, null), 100);

    final ModelSpec networkSpec = new ModelSpec(3, false, Activation.IDENTITY, 0.01, null, 0,
        Loss.SQUARED, OptimizerSettings.of(OptimizerKind.ADAM),
        HiddenLayers.of(new int[] {4, 2}, Activation.RELU, 7L));
    final Model network = Model.initial(networkSpec);
    final StepResult networkStep = new StepResult();
    new Network(networkSpec).learn(network, new double[] {1, 2, 3}, 0.5, networkStep);
    assertSameBodyBehindId(
        new MetricEncoder(MetricsDetail.FULL, null, framing).encode(KEY, "t", 1, 2L,
            networkStep, network, null, null, 0L, null),
        new MetricEncoder(MetricsDetail.FULL, null, Framing.SINGLE_OBJECT).encode(KEY, "t", 1,
            2L, networkStep, network, null, null, 0L, null), 101);
    assertSameBodyBehindId(
        new MetricEncoder(MetricsDetail.SUMMARY, null, framing).encode(KEY, "t", 0, 9L, step,
            neuron, null, null, 0L, "lr=1".getBytes(StandardCharsets.UTF_8)),
        new MetricEncoder(MetricsDetail.SUMMARY, null, Framing.SINGLE_OBJECT).encode(KEY, "t", 0,
            9L, step, neuron, null, null, 0L, "lr=1".getBytes(StandardCharsets.UTF_8)), 103);
  }

  @Test
  void predictionsAndDriftsNameTheirVersionsIds() {
    assertSameBodyBehindId(
        new PredictionEncoder(null, registry(PredictionEncoder.SCHEMAS)).encode(KEY, "p",
            StepResults.withY(0.25), 3L, 1_700_000_000_000L, "t", 0, 4L, null),
        new PredictionEncoder(null, Framing.SINGLE_OBJECT).encode(KEY, "p",
            StepResults.withY(0.25), 3L, 1_700_000_000_000L, "t", 0, 4L, null), 100);
    final PageHinkley detector = new PageHinkley(0.005, 0.5, 0.9999, 2);
    for (int i = 0; i < 40; i++) {
      detector.update(i < 30 ? 0.1 : 2.0, 0);
    }
    assertSameBodyBehindId(
        new DriftEncoder(registry(DriftEncoder.SCHEMAS)).encode(KEY, 31L, detector, true, 2L,
            "t", 1, 77L, 5L, null),
        new DriftEncoder(Framing.SINGLE_OBJECT).encode(KEY, 31L, detector, true, 2L, "t", 1, 77L,
            5L, null), 100);
  }

  /** An encoder asks its framing for every version it may write when it is made, not later. */
  @Test
  void aFramingWithoutAVersionRefusesTheEncoderAtOnce() {
    assertThatThrownBy(() -> new MetricEncoder(MetricsDetail.SUMMARY, null,
        registry(MetricEncoder.SCHEMAS.subList(0, 3)))).isInstanceOf(
            IllegalArgumentException.class);
    assertThatThrownBy(() -> new DriftEncoder(registry(DriftEncoder.SCHEMAS.subList(0, 1))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
