package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradstream.query.ModelJson;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code gradstream replay} judges each model as sklearn.metrics does, on samples torch computed
 * independently (evaluation-reference.json, written by src/test/python/evaluation_reference.py):
 * the output before each step and each served prediction against its later label, over all
 * samples and over the window; the drift detectors' drifts (Page-Hinkley and DDM written again
 * in Python) at the same steps, with their resets; and the learning curve of --progress-every.
 */
public class ReplayEvaluationTest {
  @TempDir
  Path dir;

  static Stream<Arguments> cases() throws Exception {
    try (InputStream in = ReplayEvaluationTest.class.getResourceAsStream(
        "/evaluation-reference.json")) {
      final JsonNode all = ModelJson.MAPPER.readTree(in);
      final List<Arguments> cases = new ArrayList<>();
      all.forEach(c -> cases.add(Arguments.of(c.path("name").asText(), c)));
      return cases.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void replayJudgesAsSklearnOnTorchsSamples(final String name, final JsonNode reference)
      throws Exception {
    final Path events = dir.resolve(name + ".jsonl");
    final List<String> lines = new ArrayList<>();
    reference.path("events").forEach(e -> lines.add(e.asText()));
    Files.write(events, lines);
    final List<String> args = new ArrayList<>(List.of("replay"));
    reference.path("args").forEach(a -> args.add(a.asText()));
    args.add(events.toString());
    final MainAccess.Result r = MainAccess.execute(Map.of(), args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    final List<String> out = r.out().lines().toList();
    final JsonNode result = ModelJson.MAPPER.readTree(out.get(out.size() - 1));

    reference.path("models").properties().forEach(e -> {
      final JsonNode expected = e.getValue();
      final JsonNode got = result.path("models").path(e.getKey());
      assertThat(got.path("count").asLong()).as(e.getKey()).isEqualTo(
          expected.path("count").asLong());
      assertThat(got.path("generation")).as(e.getKey()).isEqualTo(expected.path("generation"));
      assertThat(got.path("drifts")).as(e.getKey() + " drifts").isEqualTo(
          expected.path("drifts"));
      assertClose(e.getKey(), got.path("evaluation"), expected.path("evaluation"));
    });
    assertClose("all models", result.path("evaluation"), reference.path("evaluation"));

    final JsonNode progress = reference.path("progress");
    assertThat(out).hasSize(progress.size() + 1);
    for (int i = 0; i < progress.size(); i++) {
      final JsonNode line = ModelJson.MAPPER.readTree(out.get(i));
      assertThat(line.path("rows")).isEqualTo(progress.get(i).path("rows"));
      assertThat(line.path("trained")).isEqualTo(progress.get(i).path("trained"));
      assertClose("progress " + i, line.path("evaluation").path("total"),
          progress.get(i).path("total"));
    }
  }

  @ParameterizedTest
  @MethodSource("badSettings")
  void aBadEvaluationSettingIsOneLineAndExitCode2(final List<String> args, final String says)
      throws Exception {
    final Path events = dir.resolve("events.csv");
    Files.writeString(events, "key,d,x1\na,1,0.5\n");
    final List<String> line = new ArrayList<>(List.of("replay"));
    line.addAll(args);
    line.add(events.toString());
    final MainAccess.Result r = MainAccess.execute(Map.of(), line.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err().lines().findFirst().orElseThrow()).contains(says);
    assertThat(r.out()).isEmpty();
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of(List.of("--drift", "ddm"), "drift ddm counts a classifier's errors"),
        Arguments.of(List.of("--drift", "adwin"), "drift must be none, page-hinkley or ddm"),
        Arguments.of(List.of("--on-drift", "forget"), "on drift must be keep or reset"),
        Arguments.of(List.of("--eval-window", "-5"), "eval window must be between 0"),
        Arguments.of(List.of("--drift", "page-hinkley", "--ph-alpha", "2"), "ph alpha"),
        Arguments.of(List.of("--progress-every", "-1"), "--progress-every must be"));
  }

  /** The same fields, each number within 1e-9·max(|expected|, 1), each null null. */
  public static void assertClose(final String what, final JsonNode got, final JsonNode expected) {
    assertThat(names(got)).as(what + " " + got).isEqualTo(names(expected));
    expected.properties().forEach(e -> {
      final JsonNode want = e.getValue();
      final JsonNode have = got.path(e.getKey());
      final String where = what + "/" + e.getKey();
      if (want.isObject()) {
        assertClose(where, have, want);
      } else if (want.isNull()) {
        assertThat(have.isNull()).as(where + " is null, got " + have).isTrue();
      } else {
        assertThat(have.isNumber()).as(where + " " + have).isTrue();
        final double exp = want.asDouble();
        assertThat(Math.abs(have.asDouble() - exp)).as(where + ": " + have + " against " + exp)
            .isLessThanOrEqualTo(1e-9 * Math.max(Math.abs(exp), 1.0));
      }
    });
  }

  private static List<String> names(final JsonNode node) {
    final List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    return names;
  }
}
