package io.gradstream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a hashed model does with each kind of event in replay: a prediction, a delayed label that
 * trains with the prediction's features, and the reasons for what it refuses.
 */
class HashedEventsTest {
  private static final ModelSpec HASHED = new ModelSpec(1 << 10, true, Activation.SIGMOID, 0.5,
      null, 0.0, Loss.LOGISTIC, OptimizerSettings.of(OptimizerKind.ADAGRAD), HiddenLayers.NONE,
      new FeatureHashing(10, List.of(FeatureHashing.Interaction.parse("a:b")), 4));

  private record Bad(long line, String reason, String detail) {}

  private static List<Bad> replay(final Replay replay, final String lines) throws IOException {
    final List<Bad> bad = new ArrayList<>();
    replay.train(new StringReader(lines), (line, reason, detail) ->
        bad.add(new Bad(line, reason, detail)));
    return bad;
  }

  @Test
  void aDelayedLabelTrainsWithThePredictionsFeaturesAsTheEventWithBothWould() throws Exception {
    final String features = "{\"a\": 1.5, \"b\": \"x\", \"c\": true}";
    final Replay delayed = new Replay(HASHED);
    final List<double[]> served = new ArrayList<>();
    delayed.predictionsTo((key, id, y, step) -> served.add(new double[] {y, step}));
    assertThat(replay(delayed, """
        {"key": "k", "features": {"a": 2, "b": "y"}, "d": 1}
        {"key": "k", "id": "p1", "features": %s, "eventTime": 10}
        {"key": "k", "id": "p1", "d": 0, "eventTime": 20}
        """.formatted(features))).isEmpty();
    final Replay direct = new Replay(HASHED);
    assertThat(replay(direct, """
        {"key": "k", "features": {"a": 2, "b": "y"}, "d": 1}
        {"key": "k", "features": %s, "d": 0}
        """.formatted(features))).isEmpty();
    assertThat(served).hasSize(1);
    assertThat(served.get(0)[1]).isEqualTo(1); // made after one step
    final var a = delayed.models().get("k");
    final var b = direct.models().get("k");
    assertThat(a.count()).isEqualTo(2).isEqualTo(b.count());
    assertThat(a.bias()).isEqualTo(b.bias());
    // a, b=y and a^b=y, then b=x, c and a^b=x
    assertThat(a.sparse().size()).isEqualTo(b.sparse().size()).isEqualTo(6);
    for (int slot = 0; slot < b.sparse().size(); slot++) {
      final int c = b.sparse().coordinate(slot);
      assertThat(a.sparse().weightAt(c)).isEqualTo(b.sparse().weight(slot));
    }
  }

  @Test
  void aModelAtItsLimitOfCoordinatesRefusesTheEventThatWouldPassIt() throws Exception {
    final ModelSpec small = new ModelSpec(1 << 10, true, Activation.SIGMOID, 0.1, null, 0.0,
        Loss.LOGISTIC, OptimizerSettings.of(OptimizerKind.FTRL), HiddenLayers.NONE,
        new FeatureHashing(10, List.of(), 10, 2));
    final Replay replay = new Replay(small);
    final List<Bad> bad = replay(replay, """
        {"key": "k", "features": {"a": 1, "b": 2}, "d": 1}
        {"key": "k", "features": {"a": 1, "c": 2}, "d": 0}
        {"key": "k", "features": {"b": 1}, "d": 0}
        {"key": "n", "features": {"a": 1, "b": 2, "c": 3}, "d": 0}
        """);
    assertThat(bad).extracting(Bad::reason).containsExactly("model-full", "model-full");
    assertThat(bad.get(0).detail()).isEqualTo("the model has touched 2 coordinates, and this "
        + "event's new ones would take it beyond --max-coordinates 2");
    assertThat(bad.get(1).detail()).startsWith("the model has touched 0 coordinates");
    assertThat(replay.models().get("k").count()).isEqualTo(2);
    assertThat(replay.models()).doesNotContainKey("n");
    // a scaler is bounded alike: a number's first value scales to 0 and touches no coordinate
    final ModelSpec scaled = new ModelSpec(1 << 10, true, Activation.SIGMOID, 0.1, null, 0.0,
        Loss.LOGISTIC, OptimizerSettings.of(OptimizerKind.FTRL), HiddenLayers.NONE,
        new FeatureHashing(10, List.of(), 10, 2), FeatureScaling.STANDARD);
    final Replay numbers = new Replay(scaled);
    final List<Bad> full = replay(numbers, """
        {"key": "k", "features": {"a": 1, "b": 2}, "d": 1}
        {"key": "k", "features": {"c": 1}, "d": 0}
        {"key": "k", "features": {"a": 3, "b": 1}, "d": 0}
        """);
    assertThat(full).extracting(Bad::reason).containsExactly("model-full");
    assertThat(full.get(0).detail()).isEqualTo("the model has touched 0 coordinates and scales 2 "
        + "numbers, and this event's new ones would take it beyond --max-coordinates 2");
    assertThat(numbers.models().get("k").count()).isEqualTo(2);
    assertThat(numbers.models().get("k").scaler().size()).isEqualTo(2);
  }

  @Test
  void refusedEventsGetTheirReasonsAndChangeNothing() throws Exception {
    final Replay replay = new Replay(HASHED, EventRules.of(LabelTtl.defaults()));
    final List<Bad> bad = replay(replay, """
        {"key": "k", "x": [1, 2], "d": 1}
        {"key": "k", "features": {"a": 1, "b": "x", "c": 1, "d": 2}, "d": 1}
        {"key": "k", "features": {"a": 1, "c": 1, "d": 2, "e": 3}, "d": 1}
        {"key": "k", "features": {"a": "NaN"}, "d": 1}
        {"key": "k", "features": {"a": 1}, "d": 2}
        {"key": "k", "features": {"a": {"b": 1}}, "d": 1}
        """);
    assertThat(bad).extracting(Bad::reason).containsExactly("wrong-input", "too-many-terms",
        "non-finite-feature", "label-out-of-range", "undecodable");
    assertThat(bad.get(0).detail())
        .isEqualTo("the event has x, the model takes named features (\"features\", --hash-bits)");
    assertThat(bad.get(1).detail()).isEqualTo("the event has 5 terms (its features and their "
        + "interactions), more than --max-terms 4");
    assertThat(bad.get(2).detail()).isEqualTo("a feature is NaN or infinite");
    assertThat(replay.models().get("k").count()).isEqualTo(1); // four terms: the third row
    final Replay dense = new Replay(ModelSpec.defaults(2));
    final List<Bad> named = replay(dense, """
        {"key": "k", "features": {"a": 1}, "d": 1}
        """);
    assertThat(named).extracting(Bad::detail).containsExactly(
        "the event has named features, the model takes x: give --hash-bits to hash them");
  }

  @Test
  void theFeatureLimitAppliesToNamedNumbers() throws Exception {
    final Replay replay = new Replay(HASHED, new EventRules(LabelTtl.defaults(), 10.0));
    final List<Bad> bad = replay(replay, """
        {"key": "k", "features": {"a": 1, "big": -11}, "d": 1}
        {"key": "k", "features": {"a": 10, "b": "far"}, "d": 1}
        """);
    assertThat(bad).extracting(Bad::detail).containsExactly(
        "feature \"big\" is -11.0, beyond --max-abs-feature 10.0");
    assertThat(replay.models()).containsOnlyKeys("k");
    assertThat(replay.models().values()).allMatch(m -> m.count() == 1);
    assertThat(Map.copyOf(replay.models())).hasSize(1);
  }

  @Test
  void aCsvFileTrainsAsTheSameEventsInJsonLines() throws Exception {
    final Replay csv = new Replay(HASHED);
    assertThat(replay(csv, """
        key,a,b,c,d
        k,1.5,x,,1
        k,-2,y,true,0
        k,,x,false,1
        """)).isEmpty();
    final Replay json = new Replay(HASHED);
    assertThat(replay(json, """
        {"key": "k", "features": {"a": 1.5, "b": "x"}, "d": 1}
        {"key": "k", "features": {"a": -2, "b": "y", "c": "true"}, "d": 0}
        {"key": "k", "features": {"b": "x", "c": "false"}, "d": 1}
        """)).isEmpty();
    final var a = csv.models().get("k");
    final var b = json.models().get("k");
    assertThat(a.count()).isEqualTo(3).isEqualTo(b.count());
    assertThat(Double.doubleToRawLongBits(a.bias()))
        .isEqualTo(Double.doubleToRawLongBits(b.bias()));
    assertThat(a.sparse().size()).isEqualTo(b.sparse().size());
    for (int slot = 0; slot < b.sparse().size(); slot++) {
      assertThat(Double.doubleToRawLongBits(a.sparse().weightAt(b.sparse().coordinate(slot))))
          .isEqualTo(Double.doubleToRawLongBits(b.sparse().weight(slot)));
    }
  }
}
