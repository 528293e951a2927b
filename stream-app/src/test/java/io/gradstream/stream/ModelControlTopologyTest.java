package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.avro.TrainingMetric;
import io.gradstream.events.ModelControl;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.Replay;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Operators' resets and deletes arrive as control records under the model's key and are applied in
 * order with its events, as replay applies the same records from a file.
 */
class ModelControlTopologyTest {
  private static final ModelSpec SPEC = new ModelSpec(1, true, Activation.IDENTITY, 0.1, null,
      0.0);

  private final List<String> file = new ArrayList<>();
  private Instant time = Instant.parse("2026-03-01T00:00:00Z");

  private void train(final TopologyHarness t, final String key, final double x, final double d) {
    final String json = "{\"x\": [" + x + "], \"d\": " + d + "}";
    t.send(key, json.getBytes(StandardCharsets.UTF_8), time);
    time = time.plusMillis(1);
    file.add("{\"key\": \"" + key + "\", \"x\": [" + x + "], \"d\": " + d + "}");
  }

  private void control(final TopologyHarness t, final String key, final String action) {
    final RecordHeaders headers = new RecordHeaders(List.of(new RecordHeader(ModelControl.HEADER,
        action.getBytes(StandardCharsets.UTF_8))));
    t.input.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8), new byte[0],
        headers, time));
    time = time.plusMillis(1);
    file.add("{\"key\": \"" + key + "\", \"control\": \"" + action + "\"}");
  }

  @Test
  void resetAndDeleteAreAppliedInOrderWithTheEventsAndReplayAlike() throws Exception {
    try (TopologyHarness t = new TopologyHarness(SPEC, InputFormat.JSON)) {
      for (int i = 0; i < 5; i++) {
        train(t, "a", 0.5 + i, 1.0);
        train(t, "b", 1.5, 0.25 * i);
      }
      control(t, "a", "reset");
      assertThat(ModelJson.of(t.model("a")).toString())
          .isEqualTo(ModelJson.of(Model.initial(SPEC)).toString());
      train(t, "a", 2.0, 3.0);
      control(t, "b", "delete");
      assertThat(t.model("b")).isNull();
      control(t, "c", "reset"); // no model: none is made
      control(t, "c", "delete");
      assertThat(t.model("c")).isNull();
      control(t, "a", "explode");
      train(t, "b", 1.0, 2.0);

      final List<TrainingMetric> metrics = t.readMetrics();
      // a's step after the reset is its first again; b starts anew after the delete
      assertThat(metrics.get(10).getModelKey()).isEqualTo("a");
      assertThat(metrics.get(10).getStep()).isEqualTo(1);
      assertThat(metrics.get(11).getModelKey()).isEqualTo("b");
      assertThat(metrics.get(11).getStep()).isEqualTo(1);
      final List<String> reasons = new ArrayList<>();
      t.deadLetters.readRecordsToList().forEach(r -> reasons.add(new String(
          r.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8)));
      assertThat(reasons).containsExactly("unknown-control");
      assertThat(t.registry.get("gradstream.models.controlled").tag("action", "reset")
          .counter().count()).isEqualTo(2);
      assertThat(t.registry.get("gradstream.models.controlled").tag("action", "delete")
          .counter().count()).isEqualTo(2);

      final Replay replay = new Replay(SPEC);
      final List<String> bad = new ArrayList<>();
      replay.train(new StringReader(String.join("\n", file)),
          (line, reason, detail) -> bad.add(line + " " + reason + ": " + detail));
      assertThat(bad).containsExactly("16 unknown-control: unknown control 'explode' (expected "
          + "reset, delete or set)");
      final Map<String, String> streamed = new TreeMap<>();
      final Map<String, String> replayed = new TreeMap<>();
      for (final String key : List.of("a", "b", "c")) {
        if (t.model(key) != null) {
          streamed.put(key, ModelJson.of(t.model(key)).toString());
        }
      }
      replay.models().forEach((key, model) -> replayed.put(key, ModelJson.of(model).toString()));
      assertThat(streamed).containsOnlyKeys("a", "b").isEqualTo(replayed);
      assertThat(t.model("a").count()).isEqualTo(1);
      assertThat(t.model("b").count()).isEqualTo(1);
    }
  }
}
