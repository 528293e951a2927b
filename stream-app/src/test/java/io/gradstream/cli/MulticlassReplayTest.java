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
 * {@code gradstream replay --loss cross-entropy} learns K classes as torch does in float64
 * (multiclass-torch.json, written by src/test/python/multiclass_reference.py: nn.Linear layers,
 * F.cross_entropy, autograd, torch.optim): one layer of 3 named classes with SGD and weight decay
 * over two keys, labels by name and by index; a 4-class network with a hidden layer and Adam; one
 * layer of 10 classes with Adagrad. Every parameter within 1e-9, the prequential log loss and
 * accuracy as sklearn.metrics computes them, and each label no class takes refused.
 */
public class MulticlassReplayTest {
  @TempDir
  Path dir;

  static Stream<Arguments> cases() throws Exception {
    return MulticlassReplayTest.references().stream()
        .map(c -> Arguments.of(c.path("name").asText(), c));
  }

  /** The cases of multiclass-torch.json. */
  public static List<JsonNode> references() throws Exception {
    try (InputStream in = MulticlassReplayTest.class.getResourceAsStream(
        "/multiclass-torch.json")) {
      final List<JsonNode> cases = new ArrayList<>();
      ModelJson.MAPPER.readTree(in).forEach(cases::add);
      return cases;
    }
  }

  /** The model flags of a case, as a user would give them. */
  public static List<String> flags(final JsonNode c) {
    final List<String> args = new ArrayList<>(List.of("--features",
        c.path("features").asText(), "--loss", "cross-entropy", "--optimizer",
        c.path("optimizer").asText(), "--learning-rate", c.path("lr").asText()));
    if (c.has("names")) {
      final List<String> names = new ArrayList<>();
      c.path("names").forEach(n -> names.add(n.asText()));
      args.addAll(List.of("--class-names", String.join(",", names)));
    } else {
      args.addAll(List.of("--classes", c.path("classes").asText()));
    }
    if (c.has("weightDecay")) {
      args.addAll(List.of("--weight-decay", c.path("weightDecay").asText()));
    }
    if (!c.path("hidden").isEmpty()) {
      final List<String> units = new ArrayList<>();
      c.path("hidden").forEach(u -> units.add(u.asText()));
      args.addAll(List.of("--hidden", String.join(",", units), "--init-seed",
          c.path("seed").asText()));
    }
    return args;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void replayLearnsAsTorchsCrossEntropy(final String name, final JsonNode c) throws Exception {
    final Path events = dir.resolve(name + ".jsonl");
    final List<String> lines = new ArrayList<>();
    c.path("lines").forEach(e -> lines.add(e.asText()));
    Files.write(events, lines);
    final List<String> args = new ArrayList<>(List.of("replay"));
    args.addAll(flags(c));
    args.add(events.toString());
    final MainAccess.Result r = MainAccess.execute(Map.of(), args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    final JsonNode result = ModelJson.MAPPER.readTree(r.out());

    long trained = 0;
    for (final Map.Entry<String, JsonNode> e : c.path("models").properties()) {
      final JsonNode expected = e.getValue();
      final JsonNode got = result.path("models").path(e.getKey());
      assertModel(name + " " + e.getKey(), got, expected);
      assertThat(got.path("classes")).as("classes").hasSize(c.path("classes").asInt());
      if (c.has("names")) {
        assertThat(got.path("classes")).isEqualTo(c.path("names"));
      } else {
        assertThat(got.path("classes").get(1).asInt()).isEqualTo(1);
      }
      ReplayEvaluationTest.assertClose(e.getKey() + " evaluation",
          got.path("evaluation").path("total"), expected.path("evaluation"));
      trained += expected.path("count").asLong();
    }
    assertThat(result.path("invalid").asLong()).isEqualTo(lines.size() - trained);
    assertThat(r.err()).contains("label-out-of-range: " + (c.has("names")
        ? "no class is named 'no-such-class' (the classes are setosa, versicolor, virginica)"
        : "d is 0.5, not a class index 0.." + (c.path("classes").asInt() - 1)));
  }

  /**
   * The model's count exactly, its loss sum and every parameter within 1e-9·max(|torch|, 1):
   * torch's layers against a network's {@code "layers"}, or one layer's {@code "w"} and {@code
   * "b"}.
   */
  public static void assertModel(final String what, final JsonNode got, final JsonNode expected) {
    assertThat(got.path("count").asLong()).as(what + " count").isEqualTo(
        expected.path("count").asLong());
    close(what + " lossSum", got.path("lossSum"), expected.path("lossSum"));
    final JsonNode torch = expected.path("layers");
    final JsonNode layers = torch.size() == 1 ? ModelJson.MAPPER.createArrayNode().add(got)
        : got.path("layers");
    assertThat(got.has("layers")).as(what + " written as layers").isEqualTo(torch.size() > 1);
    assertThat(layers).as(what + " layers").hasSize(torch.size());
    int checked = 0;
    for (int l = 0; l < torch.size(); l++) {
      final JsonNode w = torch.get(l).path("w");
      assertThat(layers.get(l).path("w")).as(what + " rows").hasSize(w.size());
      for (int j = 0; j < w.size(); j++) {
        assertThat(layers.get(l).path("w").get(j)).hasSize(w.get(j).size());
        for (int i = 0; i < w.get(j).size(); i++) {
          close(what + " W" + (l + 1) + "[" + j + "][" + i + "]",
              layers.get(l).path("w").get(j).get(i), w.get(j).get(i));
          checked++;
        }
        close(what + " b" + (l + 1) + "[" + j + "]", layers.get(l).path("b").get(j),
            torch.get(l).path("b").get(j));
        checked++;
      }
    }
    assertThat(checked).as(what + " parameters checked").isGreaterThan(0);
  }

  private static void close(final String what, final JsonNode got, final JsonNode expected) {
    assertThat(got.isNumber()).as(what + " " + got).isTrue();
    final double exp = expected.asDouble();
    assertThat(Math.abs(got.asDouble() - exp)).as(what + ": " + got + " against " + exp)
        .isLessThanOrEqualTo(1e-9 * Math.max(Math.abs(exp), 1.0));
  }
}
