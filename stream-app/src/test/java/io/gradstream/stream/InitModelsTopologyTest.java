package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.events.ModelControl;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.Replay;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * --init-models: a key found in an export file starts from its own model there (and a reset or a
 * delete brings it back to that model), in the stream and in replay alike; other keys start as
 * the settings say.
 */
class InitModelsTopologyTest {
  private static final ModelSpec SPEC = new ModelSpec(1, true, Activation.IDENTITY, 0.1, null,
      0.0);

  @Test
  void aKeyStartsFromItsOwnModelAndComesBackToItAfterAResetOrDelete() throws Exception {
    // as gradstream export writes it: w 2, b 1, five steps so far
    final Model start = ModelJson.parseExported(ModelJson.MAPPER.readTree("{\"key\": \"a\", "
        + "\"w\": [2.0], \"b\": 1.0, \"count\": 5, \"lossSum\": 0.5, \"optimizerState\": [], "
        + "\"settings\": " + ModelJson.MAPPER.valueToTree(SPEC.stepSettings()) + "}")).model();
    final EventRules rules = new EventRules(LabelTtl.defaults(), Double.POSITIVE_INFINITY,
        Map.of("a", start));
    final List<String> lines = List.of(
        "{\"key\": \"a\", \"x\": [1], \"d\": 0}", "{\"key\": \"b\", \"x\": [1], \"d\": 0}",
        "{\"key\": \"a\", \"control\": \"reset\"}", "{\"key\": \"a\", \"x\": [1], \"d\": 0}",
        "{\"key\": \"a\", \"control\": \"delete\"}", "{\"key\": \"a\", \"x\": [1], \"d\": 0}");
    final Replay replay = new Replay(SPEC, rules);
    replay.train(new StringReader(String.join("\n", lines)), (line, reason, detail) -> {
      throw new AssertionError(line + " " + reason + " " + detail);
    });
    // from w 2, b 1 with x 1, d 0: y 3, both gradients 3, η 0.1: w 1.7, b 0.7, the sixth step
    final Model a = replay.models().get("a");
    assertThat(a.weights()).containsExactly(1.7);
    assertThat(a.bias()).isEqualTo(0.7);
    assertThat(a.count()).isEqualTo(6);
    assertThat(replay.models().get("b").weights()).containsExactly(0.0);
    assertThat(start.weights()).as("the starting model itself is never stepped")
        .containsExactly(2.0);

    try (TopologyHarness t = new TopologyHarness(SPEC, rules, InputFormat.JSON, Map.of())) {
      for (final String line : lines) {
        final var node = ModelJson.MAPPER.readTree(line);
        final String key = node.get("key").asText();
        if (node.has("control")) {
          t.input.pipeInput(new TestRecord<>(
              key.getBytes(StandardCharsets.UTF_8), new byte[0],
              new RecordHeaders(List.of(
                  new RecordHeader(ModelControl.HEADER,
                      node.get("control").asText().getBytes(StandardCharsets.UTF_8))))));
        } else {
          t.send(key, line.getBytes(StandardCharsets.UTF_8));
        }
      }
      final Map<String, String> streamed = new TreeMap<>();
      final Map<String, String> replayed = new TreeMap<>();
      for (final String key : List.of("a", "b")) {
        streamed.put(key, ModelJson.of(t.model(key)).toString());
        replayed.put(key, ModelJson.of(replay.models().get(key)).toString());
      }
      assertThat(streamed).isEqualTo(replayed);
    }
  }
}
