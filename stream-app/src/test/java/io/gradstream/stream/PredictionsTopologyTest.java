package io.gradstream.stream;

import static io.gradstream.stream.AvroEvents.event;
import static io.gradstream.stream.AvroEvents.label;
import static io.gradstream.stream.AvroEvents.predict;
import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.avro.Prediction;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.learn.Activation;
import io.gradstream.learn.ModelSpec;
import io.gradstream.step.LabelTtl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * Predictions and the labels that follow them, through the real topology: the values are worked
 * by hand for a model with two features and a bias, identity activation, η = 0.1, starting at
 * w = (0.5, −1), b = 0.25, and a label ttl of 5 s (grace 1 s).
 */
class PredictionsTopologyTest {
  private static final ModelSpec SPEC = new ModelSpec(2, true, Activation.IDENTITY, 0.1,
      new double[] {0.5, -1.0}, 0.25);
  private static final LabelTtl TTL = new LabelTtl(Duration.ofSeconds(5), Duration.ofSeconds(1));

  private static TopologyHarness harness() {
    return new TopologyHarness(SPEC, TTL, InputFormat.AVRO, Map.of());
  }

  @Test
  void aLabelJoinsItsPredictionAndStepsWithTheStoredXAndTheWeightsOfNow() throws Exception {
    try (TopologyHarness t = harness()) {
      // a model never seen predicts with its initial weights: 0.5·2 − 1·1 + 0.25
      t.send("m", predict("p1", 1000, 2, 1));
      // e = 1 − (0.5 − 1 + 0.25) = 1.25: w = (0.625, −0.875), b = 0.375
      t.send("m", event(1, 1, 1));
      // 0.625·2 − 0.875 + 0.375, with the model as it is now; no id: nothing is kept
      t.send("m", predict(null, 3000, 2, 1));
      // x = (2, 1) from p1, y = 0.75 now, e = −0.75: w = (0.475, −0.95), b = 0.3
      t.send("m", label("p1", 4000, 0));

      final List<Prediction> predictions = t.readPredictions();
      assertThat(predictions).hasSize(2);
      assertThat(predictions.get(0).getY()).isEqualTo(0.25);
      assertThat(predictions.get(0).getModelStep()).isZero();
      assertThat(predictions.get(0).getId()).isEqualTo("p1");
      assertThat(predictions.get(0).getModelKey()).isEqualTo("m");
      assertThat(predictions.get(0).getEventTime().toEpochMilli()).isEqualTo(1000);
      assertThat(predictions.get(0).getSourceOffset()).isZero();
      assertThat(predictions.get(1).getY()).isEqualTo(0.75);
      assertThat(predictions.get(1).getModelStep()).isEqualTo(1);
      assertThat(predictions.get(1).getId()).isNull();
      assertThat(predictions.get(1).getSourceOffset()).isEqualTo(2);

      final List<TrainingMetric> metrics = t.readMetrics();
      assertThat(metrics).hasSize(2);
      assertThat(metrics.get(0).getId()).isNull();
      assertThat(metrics.get(0).getServedY()).isNull();
      final TrainingMetric joined = metrics.get(1);
      assertThat(joined.getStep()).isEqualTo(2);
      assertThat(joined.getId()).isEqualTo("p1");
      assertThat(joined.getServedY()).isEqualTo(0.25);
      assertThat(joined.getLabelDelayMs()).isEqualTo(3000);
      assertThat(joined.getY()).isEqualTo(0.75);
      assertThat(joined.getLoss()).isEqualTo(0.28125);
      assertThat(joined.getGradient()).containsExactly(1.5, 0.75);
      assertThat(joined.getWeights()).containsExactly(0.475, -0.95);
      assertThat(joined.getBias()).isEqualTo(0.3);
      assertThat(joined.getSourceOffset()).isEqualTo(3);
      assertThat(pending(t)).isZero();

      // labelled once: a second label finds nothing
      t.send("m", label("p1", 4500, 1));
      assertThat(reasons(t)).containsExactly("unknown-prediction");
      assertThat(t.model("m").count()).isEqualTo(2);
    }
  }

  @Test
  void aLabelLaterThanTheTtlIsADeadLetterAndItsPredictionIsGone() throws Exception {
    try (TopologyHarness t = harness()) {
      t.send("m", predict("p", 10_000, 1, 1));
      t.send("m", predict("q", 10_000, 1, 1));
      t.send("m", label("p", 15_001, 1));   // 5001 ms: too late
      t.send("m", label("q", 15_000, 1));   // 5000 ms: in time
      t.send("m", label("p", 15_002, 1));
      assertThat(reasons(t)).containsExactly("label-too-late", "unknown-prediction");
      assertThat(t.readMetrics()).extracting(TrainingMetric::getId).containsExactly("q");
      assertThat(pending(t)).isZero();
      assertThat(t.registry.get("gradstream.predictions").tag("outcome", "label-too-late")
          .counter().count()).isEqualTo(1.0);
      assertThat(t.registry.get("gradstream.predictions").tag("outcome", "joined")
          .counter().count()).isEqualTo(1.0);
    }
  }

  @Test
  void anInvalidLabelLeavesItsPredictionPendingForACorrectedOne() throws Exception {
    try (TopologyHarness t = harness()) {
      t.send("m", predict("p", 0, 1, 1));
      t.send("m", label("p", 1, Double.NaN));
      assertThat(pending(t)).isEqualTo(1);
      t.send("m", label("p", 2, 0.5));
      assertThat(reasons(t)).containsExactly("non-finite-label");
      assertThat(t.readMetrics()).hasSize(1);
      assertThat(pending(t)).isZero();
    }
  }

  @Test
  void aPredictionChangesNoModelAndStoresNoneForANewKey() throws Exception {
    try (TopologyHarness t = harness()) {
      t.send("fresh", predict("a", 0, 3, 4));
      t.send("fresh", predict("b", 0, 3));           // wrong dimension
      t.send("fresh", predict("c", 0, 1e308, -1.5e308)); // w·x overflows: nothing to serve
      t.send("fresh", predict("d", 0, Double.NaN, 1));
      assertThat(t.readPredictions()).extracting(Prediction::getY).containsExactly(-2.25);
      assertThat(reasons(t)).containsExactly("wrong-feature-count", "non-finite-prediction",
          "non-finite-feature");
      assertThat(t.model("fresh")).isNull();
      assertThat(t.readMetrics()).isEmpty();
      assertThat(pending(t)).isEqualTo(1);
    }
  }

  @Test
  void theCleanupRemovesPredictionsOnceTheStreamTimePassesTheirTtlAndGrace() throws Exception {
    try (TopologyHarness t = harness()) {
      t.send("m", predict("old", 0, 1, 1));
      t.send("m", predict("young", 1000, 1, 1));
      // stream time 6500: "old" is past ttl + grace (6000), "young" is not (7000)
      t.send("other", predict("now", 6500, 1, 1));
      t.advanceWallClock(Duration.ofSeconds(10));
      assertThat(pending(t)).isEqualTo(2);
      assertThat(t.registry.get("gradstream.predictions").tag("outcome", "expired")
          .counter().count()).isEqualTo(1.0);
      t.send("m", label("old", 4000, 1));   // in time by its own clock, but it lagged too far
      t.send("m", label("young", 5000, 1)); // 4 s after its prediction and within the grace
      assertThat(reasons(t)).containsExactly("unknown-prediction");
      assertThat(t.readMetrics()).extracting(TrainingMetric::getId).containsExactly("young");
    }
  }

  @Test
  void aTrainingEventWithAnIdCarriesItIntoTheMetric() throws Exception {
    try (TopologyHarness t = new TopologyHarness(SPEC, TTL, InputFormat.JSON, Map.of())) {
      t.send("m", "{\"x\": [1, 1], \"d\": 1, \"id\": \"t-1\"}".getBytes());
      t.send("m", "{\"x\": [1, 1], \"id\": \"p-1\", \"eventTime\": 10}".getBytes());
      t.send("m", "{\"d\": 0, \"id\": \"p-1\", \"eventTime\": 20}".getBytes());
      assertThat(t.readMetrics()).extracting(TrainingMetric::getId)
          .containsExactly("t-1", "p-1");
    }
  }

  private static List<String> reasons(final TopologyHarness t) {
    return t.deadLetters.readRecordsToList().stream()
        .map(r -> TopologyHarness.header(r, DeadLetterHeaders.REASON)).toList();
  }

  private static long pending(final TopologyHarness t) {
    final KeyValueStore<Bytes, byte[]> store = t.driver().getKeyValueStore(
        TrainingTopology.PENDING);
    long count = 0;
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      while (all.hasNext()) {
        all.next();
        count++;
      }
    }
    return count;
  }
}
