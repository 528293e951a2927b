package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Loss;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.Replay;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * --max-abs-feature: one feature of 1e300 under the Huber loss used to leave a model at about
 * 1e298 for good; beyond the limit the event is a dead letter and the model is untouched, in the
 * stream and in replay alike.
 */
class InputGuardTopologyTest {
  private static final ModelSpec SPEC = new ModelSpec(2, true, Activation.IDENTITY, 0.1, null,
      0.0, Loss.of("huber", 1.0), OptimizerSettings.sgd());
  private static final String[] EVENTS = {
      "{\"x\": [0.5, -1], \"d\": 1}", "{\"x\": [1e300, 1], \"d\": 1}",
      "{\"x\": [1, 2], \"d\": 0.5}", "{\"x\": [-1e6, 0], \"d\": 2}", "{\"x\": [1e7, 0]}"};

  @Test
  void aFeatureBeyondTheLimitIsADeadLetterAndChangesNothing() throws Exception {
    final EventRules rules = new EventRules(LabelTtl.defaults(), 1e6);
    try (TopologyHarness t = new TopologyHarness(SPEC, rules, InputFormat.JSON, Map.of())) {
      for (final String e : EVENTS) {
        t.send("k", e.getBytes(StandardCharsets.UTF_8));
      }
      final List<String> reasons = new ArrayList<>();
      t.deadLetters.readRecordsToList().forEach(r -> reasons.add(new String(r.headers()
          .lastHeader(DeadLetterHeaders.DETAIL).value(), StandardCharsets.UTF_8)));
      // 1e6 is at the limit, not beyond it; a prediction is guarded too
      assertThat(reasons).containsExactly("x[0] is 1.0E300, beyond --max-abs-feature 1000000.0",
          "x[0] is 1.0E7, beyond --max-abs-feature 1000000.0");
      assertThat(t.model("k").count()).isEqualTo(3);
      assertThat(Math.abs(t.model("k").weights()[0])).isLessThan(1e7);

      final StringBuilder file = new StringBuilder();
      for (final String e : EVENTS) {
        file.append("{\"key\": \"k\", ").append(e.substring(1)).append('\n');
      }
      final Replay replay = new Replay(SPEC, rules);
      final List<String> bad = new ArrayList<>();
      replay.train(new StringReader(file.toString()), (line, reason, detail) -> bad.add(line + " "
          + reason));
      assertThat(bad).containsExactly("2 feature-out-of-range", "5 feature-out-of-range");
      assertThat(ModelJson.of(replay.models().get("k")).toString())
          .isEqualTo(ModelJson.of(t.model("k")).toString());
    }
    // without the limit, the step on 1e300 is taken and the model is thrown far off
    try (TopologyHarness t = new TopologyHarness(SPEC, InputFormat.JSON)) {
      for (final String e : EVENTS) {
        t.send("k", e.getBytes(StandardCharsets.UTF_8));
      }
      assertThat(Math.abs(t.model("k").weights()[0])).isGreaterThan(1e250);
    }
  }
}
