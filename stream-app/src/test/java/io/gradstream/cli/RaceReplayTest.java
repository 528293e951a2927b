package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.query.ModelJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code replay --race}: each variant's models are {@code replay}'s with that variant's settings,
 * bit for bit, and each key's champion history is the contract's rule recomputed here from each
 * variant's losses, which the learner gives event by event.
 */
class RaceReplayTest {
  @TempDir
  Path dir;

  /** Two keys, a linear teacher with noise, every 53rd row invalid. */
  private Path events() throws Exception {
    final Random random = new Random(11);
    final List<String> lines = new ArrayList<>();
    for (int t = 0; t < 800; t++) {
      final double x1 = random.nextDouble() * 2 - 1;
      final double x2 = random.nextDouble() * 2 - 1;
      final double d = t % 53 == 7 ? Double.NaN : 0.5 * x1 - 0.8 * x2
          + 0.05 * random.nextGaussian();
      lines.add(String.format(Locale.ROOT, "{\"key\": \"k%d\", \"x\": [%s, %s], \"d\": %s}",
          t % 2, x1, x2, Double.isNaN(d) ? "\"NaN\"" : Double.toString(d)));
    }
    final Path file = dir.resolve("events.jsonl");
    Files.write(file, lines);
    return file;
  }

  @Test
  void eachVariantIsReplayWithItsSettingsAndTheChampionFollowsTheRule() throws Exception {
    final Path events = events();
    final List<String> base = List.of("replay", "--features", "2", "--activation", "identity",
        "--bias", "--eval-window", "0");
    final List<String> args = new ArrayList<>(base);
    args.addAll(List.of("--race", "learning-rate=0.003,0.05,1.2", "--race-half-life", "30",
        "--race-warmup", "25", events.toString()));
    final MainAccess.Result r = MainAccess.execute(Map.of(), args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    final JsonNode race = ModelJson.MAPPER.readTree(r.out());
    assertThat(race.path("race").path("variants").toString()).isEqualTo(
        "[\"learning-rate=0.003\",\"learning-rate=0.05\",\"learning-rate=1.2\"]");
    final double[] rates = {0.003, 0.05, 1.2};
    for (int v = 0; v < rates.length; v++) {
      final List<String> alone = new ArrayList<>(base);
      alone.addAll(List.of("--learning-rate", Double.toString(rates[v]), events.toString()));
      final MainAccess.Result single = MainAccess.execute(Map.of(), alone.toArray(String[]::new));
      final JsonNode models = ModelJson.MAPPER.readTree(single.out()).path("models");
      for (final String key : List.of("k0", "k1")) {
        final ObjectNode variant = (ObjectNode) race.path("models").path(key).path("variants")
            .path("learning-rate=" + rates[v]).deepCopy();
        assertThat(variant.remove("lossEwma")).as("its weighted loss").isNotNull();
        assertThat(variant.toString()).as(key + " at " + rates[v])
            .isEqualTo(models.path(key).toString());
      }
    }
    assertThat(race.path("invalid").asLong()).isEqualTo(15);
    for (int v = 0; v < rates.length; v++) {
      final List<String> alone = new ArrayList<>(base);
      alone.addAll(List.of("--learning-rate", Double.toString(rates[v]), events.toString()));
      assertThat(race.path("race").path("invalid").path("learning-rate=" + rates[v]).asLong())
          .as("each variant's refused rows").isEqualTo(ModelJson.MAPPER.readTree(
              MainAccess.execute(Map.of(), alone.toArray(String[]::new)).out())
              .path("invalid").asLong());
    }
    assertThat(r.err()).contains("replay: a race of 3 variants, 2 models each, 15 invalid rows")
        .contains("non-finite-label");

    // the rule again, from each variant's losses event by event
    for (final String key : List.of("k0", "k1")) {
      final List<String> expected = championHistory(events, key, rates, 30, 25);
      final List<String> got = new ArrayList<>();
      race.path("models").path(key).path("championHistory").forEach(c ->
          got.add(c.path("event").asLong() + " " + c.path("variant").asText()));
      assertThat(got).as(key).isEqualTo(expected);
      assertThat(got).as("a change after the warm-up").hasSizeGreaterThan(1);
      assertThat(race.path("models").path(key).path("champion").asText())
          .isEqualTo(expected.get(expected.size() - 1).split(" ")[1]);
    }
  }

  /**
   * Each key's champions, as "event variant" at each change: m_v = L at a variant's first loss,
   * then m_v + (1 − 2^(−1/H))·(L − m_v); the first variant before the warm-up; the lowest after,
   * the first listed on a tie.
   */
  private static List<String> championHistory(final Path events, final String key,
      final double[] rates, final double halfLife, final long warmup) throws Exception {
    final List<Learner> learners = new ArrayList<>();
    final List<Model> models = new ArrayList<>();
    for (final double rate : rates) {
      final Learner learner = Learner.of(new ModelSpec(2, true, Activation.IDENTITY, rate, null,
          0.0, Loss.SQUARED, OptimizerSettings.of(OptimizerKind.SGD)));
      learners.add(learner);
      models.add(learner.newModel());
    }
    final double a = 1 - Math.pow(2, -1 / halfLife);
    final double[] m = new double[rates.length];
    final boolean[] started = new boolean[rates.length];
    final List<String> history = new ArrayList<>();
    final StepResult step = new StepResult();
    long n = 0;
    int champion = -1;
    for (final String line : Files.readAllLines(events)) {
      final JsonNode e = ModelJson.MAPPER.readTree(line);
      if (!e.path("key").asText().equals(key) || !e.path("d").isNumber()) {
        continue;
      }
      final double[] x = {e.path("x").get(0).asDouble(), e.path("x").get(1).asDouble()};
      boolean any = false;
      final double[] losses = new double[rates.length];
      final boolean[] trained = new boolean[rates.length];
      for (int v = 0; v < rates.length; v++) {
        trained[v] = learners.get(v).learn(models.get(v), x, e.path("d").asDouble(), step)
            == Verdict.TRAINED;
        losses[v] = step.loss();
        any |= trained[v];
      }
      if (!any) {
        continue;
      }
      n++;
      for (int v = 0; v < rates.length; v++) {
        if (trained[v]) {
          m[v] = started[v] ? m[v] + a * (losses[v] - m[v]) : losses[v];
          started[v] = true;
        }
      }
      int best = 0;
      if (n >= warmup) {
        for (int v = 1; v < rates.length; v++) {
          if (started[v] && (!started[best] || m[v] < m[best])) {
            best = v;
          }
        }
      }
      if (best != champion) {
        champion = best;
        history.add(n + " learning-rate=" + rates[best]);
      }
    }
    return history;
  }

  /**
   * A prediction is the champion's at its row: the same line, bit for bit, as the replay of that
   * variant alone writes, naming the variant; the first variant before the key's first step.
   */
  @Test
  void eachPredictionIsTheChampionsAndNamesIt() throws Exception {
    final Random random = new Random(5);
    final List<String> lines = new ArrayList<>();
    for (int t = 0; t < 400; t++) {
      final double x1 = random.nextDouble() * 2 - 1;
      final double x2 = random.nextDouble() * 2 - 1;
      lines.add(t % 9 == 0
          ? String.format(Locale.ROOT, "{\"key\": \"k\", \"x\": [%s, %s], \"id\": \"p%d\"}",
              x1, x2, t)
          : String.format(Locale.ROOT, "{\"key\": \"k\", \"x\": [%s, %s], \"d\": %s}", x1, x2,
              0.5 * x1 - 0.8 * x2 + 0.05 * random.nextGaussian()));
    }
    final Path events = dir.resolve("mixed.jsonl");
    Files.write(events, lines);
    final List<String> base = List.of("replay", "--features", "2", "--activation", "identity",
        "--eval-window", "0", events.toString());
    final Path raced = dir.resolve("raced.jsonl");
    final List<String> args = new ArrayList<>(base);
    args.addAll(List.of("--race", "learning-rate=0.002,0.2", "--race-warmup", "10",
        "--predictions", raced.toString()));
    final MainAccess.Result r = MainAccess.execute(Map.of(), args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    final List<String> got = Files.readAllLines(raced);
    assertThat(got).hasSize(45);
    final Map<String, List<String>> alone = Map.of(
        "learning-rate=0.002", predictions(base, "0.002"),
        "learning-rate=0.2", predictions(base, "0.2"));
    final JsonNode history = ModelJson.MAPPER.readTree(r.out()).path("models").path("k")
        .path("championHistory");
    int trained = 0;
    int p = 0;
    for (final String line : lines) {
      if (line.contains("\"d\"")) {
        trained++;
        continue;
      }
      String champion = "learning-rate=0.002";
      for (final JsonNode change : history) {
        if (change.path("event").asLong() <= trained) {
          champion = change.path("variant").asText();
        }
      }
      final ObjectNode prediction = (ObjectNode) ModelJson.MAPPER.readTree(got.get(p));
      assertThat(prediction.remove("variant").asText()).as("prediction %d", p)
          .isEqualTo(champion);
      assertThat(prediction.toString()).isEqualTo(alone.get(champion).get(p));
      p++;
    }
    assertThat(got.get(44)).contains("learning-rate=0.2");
  }

  /** The prediction lines of replay with {@code rate} alone. */
  private List<String> predictions(final List<String> base, final String rate) throws Exception {
    final Path file = dir.resolve("alone-" + rate + ".jsonl");
    final List<String> args = new ArrayList<>(base);
    args.addAll(List.of("--learning-rate", rate, "--predictions", file.toString()));
    assertThat(MainAccess.execute(Map.of(), args.toArray(String[]::new)).code()).isZero();
    return Files.readAllLines(file);
  }

  @Test
  void settingsRaceAsACrossProductFirstSettingSlowest() throws Exception {
    final MainAccess.Result r = MainAccess.execute(Map.of(), "replay", "--features", "2",
        "--activation", "identity", "--race", "learning-rate=0.01,0.1", "--race",
        "optimizer=sgd,adam", events().toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(ModelJson.MAPPER.readTree(r.out()).path("race").path("variants").toString())
        .isEqualTo("[\"learning-rate=0.01,optimizer=sgd\",\"learning-rate=0.01,optimizer=adam\","
            + "\"learning-rate=0.1,optimizer=sgd\",\"learning-rate=0.1,optimizer=adam\"]");
  }

  @ParameterizedTest
  @MethodSource("badRaces")
  void aBadRaceIsOneLineAndExitCode2(final List<String> flags, final String says)
      throws Exception {
    final List<String> args = new ArrayList<>(flags);
    if (flags.get(0).equals("replay")) {
      args.add(events().toString());
    }
    final MainAccess.Result r = MainAccess.execute(Map.of(), args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains(says);
    assertThat(r.out()).isEmpty();
  }

  static Stream<Arguments> badRaces() {
    return Stream.of(
        Arguments.of(List.of("replay", "--features", "2", "--race", "hidden=4,8"),
            "race 'hidden=4,8': a race varies one of beta1, beta2, clip-norm, learning-rate"),
        Arguments.of(List.of("replay", "--features", "2", "--race",
            "learning-rate=1,2,3,4,5", "--race", "optimizer=sgd,adam,adagrad,rmsprop"),
            "race of 20 variants: at most 16"),
        Arguments.of(List.of("replay", "--features", "2", "--learning-rate", "0.5", "--race",
            "learning-rate=0.1,0.2"), "race learning-rate and --learning-rate exclude each "
            + "other"),
        Arguments.of(List.of("replay", "--features", "2", "--race", "learning-rate=0.1"),
            "a race needs two variants or more, got 1"),
        Arguments.of(List.of("replay", "--features", "2", "--race", "learning-rate=0.1,"),
            "has an empty value"),
        Arguments.of(List.of("replay", "--features", "2", "--race", "learning-rate=0.1,fast"),
            "race learning-rate value 'fast' is not a number"),
        Arguments.of(List.of("replay", "--features", "2", "--race", "learning-rate=0.1,-1"),
            "race variant learning-rate=-1: learning rate must be"),
        Arguments.of(List.of("replay", "--features", "2", "--race", "optimizer=sgd,adam",
            "--race-half-life", "0"), "race half life must be"),
        Arguments.of(List.of("replay", "--features", "2", "--race", "optimizer=sgd,adam",
            "--progress-every", "10"), "race does not take --progress-every or --explain yet"),
        Arguments.of(List.of("run", "--bootstrap-servers", "k:9092", "--race", "hidden=4,8"),
            "race 'hidden=4,8': a race varies one of"),
        Arguments.of(List.of("run", "--bootstrap-servers", "k:9092", "--learning-rate", "0.5",
            "--race", "learning-rate=0.1,0.2"), "race learning-rate and --learning-rate exclude "
            + "each other"),
        Arguments.of(List.of("run", "--bootstrap-servers", "k:9092", "--race",
            "learning-rate=0.1,1", "--champions-topic", "training-metrics"),
            "the champions topic must differ"));
  }
}
