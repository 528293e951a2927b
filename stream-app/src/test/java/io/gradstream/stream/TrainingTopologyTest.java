package io.gradstream.stream;

import static io.gradstream.stream.AvroEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradstream.avro.TrainingMetric;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class TrainingTopologyTest {
  private static final ModelSpec SIGMOID_1 =
      new ModelSpec(1, false, Activation.SIGMOID, 0.1, null, 0);

  @Test
  void publishesOneMetricPerEventWithTheValuesWorkedByHand() throws Exception {
    try (TopologyHarness t = new TopologyHarness(SIGMOID_1, InputFormat.AVRO)) {
      t.send("m", event(1.0, 1.0));
      t.send("m", event(1.0, 1.0));
      final List<TrainingMetric> out = t.readMetrics();
      assertThat(out).hasSize(2);

      // net = 0, y = ½, e = ½, f'(0) = ¼, L = ⅛, ∂L/∂w = −e·f'·x = −⅛, w = 0 + 0.1·⅛
      final TrainingMetric first = out.get(0);
      assertThat(first.getModelKey()).isEqualTo("m");
      assertThat(first.getStep()).isEqualTo(1);
      assertThat(first.getSourceTopic()).isEqualTo("training-events");
      assertThat(first.getSourcePartition()).isZero();
      assertThat(first.getSourceOffset()).isZero();
      assertThat(first.getNet()).isEqualTo(0.0);
      assertThat(first.getY()).isEqualTo(0.5);
      assertThat(first.getE()).isEqualTo(0.5);
      assertThat(first.getFPrime()).isEqualTo(0.25);
      assertThat(first.getLoss()).isEqualTo(0.125);
      assertThat(first.getGradient()).containsExactly(-0.125);
      assertThat(first.getGradientNorm()).isEqualTo(0.125);
      assertThat(first.getWeights()).containsExactly(0.0125);
      assertThat(first.getBias()).isNull();
      assertThat(first.getBiasGradient()).isNull();

      // net = 0.0125, y = 1/(1 + e^−0.0125) = 0.5031249593105316, w = 0.024921390800340695
      final TrainingMetric second = out.get(1);
      assertThat(second.getStep()).isEqualTo(2);
      assertThat(second.getSourceOffset()).isEqualTo(1);
      assertThat(second.getY()).isCloseTo(0.5031249593105316, within(1e-15));
      assertThat(second.getWeights().get(0)).isCloseTo(0.024921390800340695, within(1e-15));
    }
  }

  @Test
  void biasModelsPublishTheBiasAndItsGradient() throws Exception {
    final ModelSpec spec = new ModelSpec(2, true, Activation.IDENTITY, 0.1,
        new double[] {0.5, -1.0}, 0.25);
    try (TopologyHarness t = new TopologyHarness(spec, InputFormat.AVRO)) {
      t.send("lin", event(1.0, 2.0, 1.0));
      final TrainingMetric m = t.readMetrics().get(0);
      // net = 0.5·2 − 1·1 + 0.25 = 0.25; y = 0.25; e = 0.75; f' = 1; L = ½·0.5625 = 0.28125
      // ∂L/∂w = −0.75·(2, 1) = (−1.5, −0.75); ∂L/∂b = −0.75; ‖g‖ = √(2.25 + 0.5625 + 0.5625)
      assertThat(m.getNet()).isEqualTo(0.25);
      assertThat(m.getE()).isEqualTo(0.75);
      assertThat(m.getLoss()).isEqualTo(0.28125);
      assertThat(m.getGradient()).containsExactly(-1.5, -0.75);
      assertThat(m.getBiasGradient()).isEqualTo(-0.75);
      assertThat(m.getGradientNorm()).isCloseTo(Math.sqrt(3.375), within(1e-15));
      // w = (0.5 + 0.15, −1 + 0.075), b = 0.25 + 0.075
      assertThat(m.getWeights().get(0)).isCloseTo(0.65, within(1e-15));
      assertThat(m.getWeights().get(1)).isCloseTo(-0.925, within(1e-15));
      assertThat(m.getBias()).isCloseTo(0.325, within(1e-15));

      final Model stored = t.store().get("lin");
      assertThat(stored.weights()).containsExactly(m.getWeights().get(0), m.getWeights().get(1));
      assertThat(stored.bias()).isEqualTo(m.getBias());
      assertThat(stored.count()).isEqualTo(1);
      assertThat(stored.lossSum()).isEqualTo(0.28125);
    }
  }

  @Test
  void keysAreSeparateModels() throws Exception {
    try (TopologyHarness t = new TopologyHarness(SIGMOID_1, InputFormat.AVRO)) {
      t.send("a", event(1.0, 1.0));
      t.send("b", event(0.0, 2.0));
      t.send("a", event(1.0, 1.0));
      final Model a = t.store().get("a");
      final Model b = t.store().get("b");
      assertThat(a.count()).isEqualTo(2);
      assertThat(b.count()).isEqualTo(1);
      // b alone: net 0, y ½, e −½, ∂L/∂w = ½·¼·2 = ¼, w = −0.025
      assertThat(b.weights()).containsExactly(-0.025);
      assertThat(a.weights()[0]).isCloseTo(0.024921390800340695, within(1e-15));
      final List<TrainingMetric> out = t.readMetrics();
      assertThat(out).extracting(TrainingMetric::getModelKey).containsExactly("a", "b", "a");
      assertThat(out).extracting(TrainingMetric::getStep).containsExactly(1L, 1L, 2L);
    }
  }

  @Test
  void everyKindOfInvalidAvroEventGoesToTheDeadLetterTopicAndChangesNothing() throws Exception {
    final ModelSpec spec = new ModelSpec(2, true, Activation.TANH, 0.1, null, 0);
    try (TopologyHarness t = new TopologyHarness(spec, InputFormat.AVRO)) {
      t.send("k", event(0.5, 1.0, 2.0));
      final Model before = t.store().get("k");
      final double[] w = before.weights().clone();
      final double b = before.bias();

      final byte[] valid = event(0.5, 1.0, 2.0);
      final byte[] unknownFingerprint = valid.clone();
      unknownFingerprint[5] ^= 0x5A;
      final byte[] truncated = Arrays.copyOf(valid, valid.length - 3);
      final Object[][] cases = {
          {"k", event(0.5, 1.0), "wrong-feature-count"},
          {"k", event(0.5, 1.0, 2.0, 3.0), "wrong-feature-count"},
          {"k", event(0.5, Double.NaN, 2.0), "non-finite-feature"},
          {"k", event(0.5, 1.0, Double.POSITIVE_INFINITY), "non-finite-feature"},
          {"k", event(Double.NEGATIVE_INFINITY, 1.0, 2.0), "non-finite-label"},
          {"k", "{\"x\":[1,2],\"d\":1}".getBytes(StandardCharsets.UTF_8), "undecodable"},
          {"k", new byte[] {(byte) 0xC3, 0x01, 1, 2}, "undecodable"},
          {"k", unknownFingerprint, "undecodable"},
          {"k", truncated, "undecodable"},
          {"k", null, "undecodable"},
          {"k", new byte[0], "undecodable"},
          {null, valid, "missing-key"},
          {"", valid, "missing-key"},
      };
      for (final Object[] c : cases) {
        t.send((String) c[0], (byte[]) c[1]);
      }
      final List<TestRecord<byte[], byte[]>> dead = t.deadLetters.readRecordsToList();
      assertThat(dead).hasSize(cases.length);
      for (int i = 0; i < cases.length; i++) {
        final TestRecord<byte[], byte[]> r = dead.get(i);
        assertThat(TopologyHarness.header(r, DeadLetterHeaders.REASON)).as("case %d", i)
            .isEqualTo(cases[i][2]);
        assertThat(r.value()).as("original bytes of case %d", i).isEqualTo(cases[i][1]);
        assertThat(TopologyHarness.header(r, DeadLetterHeaders.TOPIC)).isEqualTo("training-events");
        assertThat(TopologyHarness.header(r, DeadLetterHeaders.PARTITION)).isEqualTo("0");
        assertThat(TopologyHarness.header(r, DeadLetterHeaders.OFFSET))
            .isEqualTo(Integer.toString(i + 1));
      }
      assertThat(TopologyHarness.header(dead.get(7), DeadLetterHeaders.EXCEPTION))
          .isEqualTo("org.apache.avro.message.MissingSchemaException");
      assertThat(TopologyHarness.header(dead.get(0), DeadLetterHeaders.DETAIL))
          .isEqualTo("x has 1 value, the model has 2 features");

      final Model after = t.store().get("k");
      assertThat(after.weights()).containsExactly(w);
      assertThat(after.bias()).isEqualTo(b);
      assertThat(after.count()).isEqualTo(1);
      assertThat(t.store().get("")).isNull();

      // and the stream goes on: the next valid event is step 2
      t.send("k", event(0.5, 1.0, 2.0));
      final List<TrainingMetric> metrics = t.readMetrics();
      assertThat(metrics).extracting(TrainingMetric::getStep).containsExactly(1L, 2L);
      assertThat(t.registry.get("gradstream.events").tag("reason", "undecodable").counter()
          .count()).isEqualTo(6.0);
      assertThat(t.registry.get("gradstream.events").tag("outcome", "trained").counter().count())
          .isEqualTo(2.0);
    }
  }

  @Test
  void aLabelTheLossCannotTakeIsDeadLetteredWithItsReason() throws Exception {
    final ModelSpec logistic = new ModelSpec(1, false, Activation.SIGMOID, 0.1, null, 0,
        Loss.LOGISTIC);
    try (TopologyHarness t = new TopologyHarness(logistic, InputFormat.AVRO)) {
      t.send("click", event(1.0, 2.0));
      t.send("click", event(1.5, 2.0));
      t.send("click", event(-0.5, 2.0));
      t.send("click", event(0.0, 2.0));
      final List<TestRecord<byte[], byte[]>> dead = t.deadLetters.readRecordsToList();
      assertThat(dead).extracting(r -> TopologyHarness.header(r, DeadLetterHeaders.REASON))
          .containsExactly("label-out-of-range", "label-out-of-range");
      assertThat(TopologyHarness.header(dead.get(0), DeadLetterHeaders.DETAIL))
          .isEqualTo("d is outside [0, 1], the labels of the logistic loss");
      // step 1, worked by hand: net = 0, y = ½, L = ln 2, ∂L/∂w = (y − d)·x = −1, w = 0.1
      final List<TrainingMetric> metrics = t.readMetrics();
      assertThat(metrics).extracting(TrainingMetric::getStep).containsExactly(1L, 2L);
      assertThat(metrics.get(0).getLoss()).isEqualTo(0.6931471805599453);
      assertThat(metrics.get(0).getGradient()).containsExactly(-1.0);
      assertThat(metrics.get(0).getWeights()).containsExactly(0.1);
    }
  }

  @Test
  void aStepThatWouldOverflowIsDeadLetteredAndTheModelKeepsItsWeights() throws Exception {
    final ModelSpec identity = new ModelSpec(1, false, Activation.IDENTITY, 0.1, null, 0);
    try (TopologyHarness t = new TopologyHarness(identity, InputFormat.AVRO)) {
      t.send("big", event(1.0, 1e300)); // w = 0.1·1·1e300 = 1e299: finite, taken
      t.send("big", event(1.0, 1e300)); // net = 1e299·1e300 overflows: refused
      assertThat(t.store().get("big").weights()).containsExactly(1e299);
      assertThat(t.store().get("big").count()).isEqualTo(1);
      final List<TestRecord<byte[], byte[]>> dead = t.deadLetters.readRecordsToList();
      assertThat(dead).hasSize(1);
      assertThat(TopologyHarness.header(dead.get(0), DeadLetterHeaders.REASON))
          .isEqualTo("non-finite-step");
      assertThat(t.readMetrics()).hasSize(1);
    }
  }

  @Test
  void jsonInputTrainsAndItsBadEventsGoToTheDeadLetterTopic() throws Exception {
    try (TopologyHarness t = new TopologyHarness(SIGMOID_1, InputFormat.JSON)) {
      final String[][] cases = {
          {"{\"x\": [1.0], \"d\": 1}", null},
          {"{\"d\": 1}", "incomplete-event"},
          {"{\"x\": null, \"d\": null, \"id\": \"p\"}", "incomplete-event"},
          {"{\"d\": 1, \"id\": \"never\"}", "unknown-prediction"},
          {"{\"x\": [NaN], \"d\": 1}", "non-finite-feature"},
          {"{\"x\": [1.0], \"d\": Infinity}", "non-finite-label"},
          // as many JSON libraries write them: the reason does not depend on the format
          {"{\"x\": [1.0], \"d\": \"NaN\"}", "non-finite-label"},
          {"{\"x\": [\"-Infinity\"], \"d\": 1}", "non-finite-feature"},
          {"{\"x\": [1e400], \"d\": 1}", "non-finite-feature"},
          {"{\"x\": [\"1\"], \"d\": 1}", "undecodable"},
          {"{\"x\": 1, \"d\": 1}", "undecodable"},
          {"{\"x\": [1.0], \"d\": 1", "undecodable"},
          {"[1, 2]", "undecodable"},
          {"not json at all", "undecodable"},
          {"{\"x\": [1.0, 2.0], \"d\": 1}", "wrong-feature-count"},
          {"{\"x\": [1.0], \"d\": 1, \"extra\": {\"a\": [1]}}", null},
      };
      for (final String[] c : cases) {
        t.send("j", c[0].getBytes(StandardCharsets.UTF_8));
      }
      final List<String> reasons = t.deadLetters.readRecordsToList().stream()
          .map(r -> TopologyHarness.header(r, DeadLetterHeaders.REASON)).toList();
      assertThat(reasons).containsExactlyElementsOf(Arrays.stream(cases)
          .map(c -> c[1]).filter(r -> r != null).toList());
      final List<TrainingMetric> metrics = t.readMetrics();
      assertThat(metrics).extracting(TrainingMetric::getStep).containsExactly(1L, 2L);
      assertThat(metrics.get(1).getWeights().get(0))
          .isCloseTo(0.024921390800340695, within(1e-15));
    }
  }
}
