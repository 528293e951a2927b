package io.gradstream.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.events.Outcome;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Classes;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.learn.race.KeyRace;
import io.gradstream.learn.race.RaceRule;
import io.gradstream.metrics.ModelSeries;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.query.ModelLookup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LiveViewTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** One feature and a bias: two parameters. */
  private static final ModelSpec SPEC = new ModelSpec(1, true, Activation.IDENTITY, 0.1, null,
      0.0);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TrainingMeters meters = new TrainingMeters(registry, 2);
  private final Map<String, Model> store = new TreeMap<>();
  private final ModelLookup lookup = new ModelLookup() {
    @Override
    public Optional<Model> find(final String key, final boolean localOnly) {
      return Optional.ofNullable(store.get(key));
    }

    @Override
    public Keys keys(final boolean localOnly) {
      return Keys.complete(new ArrayList<>(store.keySet()));
    }
  };
  private final LiveSampler sampler = new LiveSampler(meters, lookup);
  private final LiveView view = new LiveView(sampler, meters.models(), lookup, SPEC);

  /** A store of one model, {@code model} under {@code name}. */
  private static ModelLookup only(final String name, final Model model) {
    return new ModelLookup() {
      @Override
      public Optional<Model> find(final String key, final boolean localOnly) {
        return key.equals(name) ? Optional.of(model) : Optional.empty();
      }

      @Override
      public Keys keys(final boolean localOnly) {
        return Keys.complete(List.of(name));
      }
    };
  }

  /** Trains {@code key} on (x, d) as the stream would, store and meters. */
  private void train(final String key, final double x, final double d) {
    final Learner learner = Learner.of(SPEC);
    final StepResult step = new StepResult();
    final Model model = store.computeIfAbsent(key, k -> Model.initial(SPEC));
    assertThat(learner.learn(model, new double[] {x}, d, step)).isEqualTo(Verdict.TRAINED);
    meters.trained(key, step, model, new double[] {x}, d, 0);
  }

  @Test
  void eachSecondHoldsTheRatesAndTheMeanLossOfThatSecond() throws Exception {
    sampler.sample(10_000);
    train("a", 1.0, 1.0); // loss ½·1² = 0.5 (from w = b = 0)
    train("b", 1.0, 2.0); // loss ½·2² = 2
    meters.refused(Outcome.NON_FINITE_FEATURE, "x[0] is NaN");
    sampler.sample(15_000); // the key list is read again after 5 s
    final JsonNode o = JSON.readTree(view.overview(Double.NEGATIVE_INFINITY));
    assertThat(o.get("time").get(0).asDouble()).isEqualTo(15.0);
    assertThat(o.get("eventsPerSecond").get(0).asDouble()).isEqualTo(0.4); // 2 in 5 s
    assertThat(o.get("meanLoss").get(0).asDouble()).isCloseTo(1.25, within(1e-12));
    assertThat(o.get("servedLoss").get(0).isNull()).as("no labels joined yet").isTrue();
    assertThat(
            o.get("deadLettersPerSecond").get(Outcome.NON_FINITE_FEATURE.code()).get(0).asDouble())
        .isEqualTo(0.2);
    assertThat(o.get("models").get("a").get("lossEwma").get(0).asDouble()).isEqualTo(0.5);
    assertThat(o.get("modelCount").asInt()).isEqualTo(2);
  }

  /**
   * A raced two-parameter model's view: each variant's weighted loss over time (the race's own),
   * the champion by name, and each variant's path on the one surface, row for row.
   */
  @Test
  void aRaceShowsEachVariantsLossAndPathAndItsChampion() throws Exception {
    final List<String> names = List.of("learning-rate=0.01", "learning-rate=1");
    final double[] rates = {0.01, 1};
    final TrainingMeters raceMeters = new TrainingMeters(new SimpleMeterRegistry(), 2);
    final Model[] models = {Model.initial(SPEC), Model.initial(SPEC)};
    final LiveSampler raceSampler = new LiveSampler(raceMeters, only("r", models[0]));
    final LiveView raceView = new LiveView(raceSampler, raceMeters.models(), only("r",
        models[0]), SPEC, names);
    final RaceRule rule = new RaceRule(2, 2);
    final KeyRace race = new KeyRace(2);
    final StepResult step = new StepResult();
    for (int i = 0; i < 5; i++) {
      final double x = i % 2 == 0 ? 1 : -1;
      for (int v = 0; v < 2; v++) {
        final ModelSpec spec = new ModelSpec(1, true, Activation.IDENTITY, rates[v], null, 0.0);
        assertThat(Learner.of(spec).learn(models[v], new double[] {x}, 2 * x, step))
            .isEqualTo(Verdict.TRAINED);
        race.stepped(v, step.loss(), rule);
      }
      race.decide(rule);
      raceMeters.raced("r", race, v -> models[v]);
      // the champion's step, as the stream meters it
      raceMeters.trained("r", step, models[race.serving()], new double[] {x}, 2 * x, 0);
      raceSampler.sample(1000L * (i + 1));
    }
    final JsonNode m = JSON.readTree(raceView.model("r", Double.NEGATIVE_INFINITY));
    final JsonNode r = m.get("race");
    assertThat(r.get("variants").toString()).isEqualTo(
        "[\"learning-rate=0.01\",\"learning-rate=1\"]");
    assertThat(r.get("champion").asText()).isEqualTo(names.get(race.serving()));
    // the key is tracked from its first trained event, its race from the next
    assertThat(r.get("time").size()).isEqualTo(4);
    assertThat(r.get("lossEwma").get(1).get(3).floatValue())
        .isEqualTo((float) race.lossEwma(1));
    assertThat(r.get("lossEwma").get(0).get(3).floatValue())
        .isEqualTo((float) race.lossEwma(0));
    assertThat(r.get("championIndex").get(3).asInt()).isEqualTo(race.serving());
    assertThat(m.get("surface").get("paths").get("learning-rate=1").get(0).get(0).isNull())
        .as("no variant's point before the race was first seen").isTrue();
    final JsonNode paths = m.get("surface").get("paths");
    assertThat(paths.get("learning-rate=1").size()).isEqualTo(m.get("surface").get("path")
        .size());
    final JsonNode last = paths.get("learning-rate=0.01").get(paths.get("learning-rate=0.01")
        .size() - 1);
    assertThat(last.get(0).floatValue()).isEqualTo((float) models[0].weights()[0]);
    assertThat(last.get(1).floatValue()).isEqualTo((float) models[0].bias());
  }

  /** A network's view: its layers, and how much gradient reaches each of them over time. */
  @Test
  void aNetworkShowsItsLayersAndTheGradientNormOfEach() throws Exception {
    final ModelSpec net = new ModelSpec(2, false, Activation.SIGMOID, 0.1, null, 0.0,
        Loss.SQUARED, OptimizerSettings.sgd(),
        HiddenLayers.of(new int[] {3}, Activation.TANH, 42L));
    final TrainingMeters netMeters = new TrainingMeters(new SimpleMeterRegistry(), 2);
    final Model model = Model.initial(net);
    final ModelLookup netLookup = only("n", model);
    final LiveSampler netSampler = new LiveSampler(netMeters, netLookup);
    final LiveView netView = new LiveView(netSampler, netMeters.models(), netLookup, net);
    final Learner learner = Learner.of(net);
    final StepResult step = new StepResult();
    final double[][] norms = new double[2][];
    for (int s = 0; s < 2; s++) {
      assertThat(learner.learn(model, new double[] {0.5, -1}, 0.8, step))
          .isEqualTo(Verdict.TRAINED);
      netMeters.trained("n", step, model, new double[] {0.5, -1}, 0.8, 0);
      norms[s] = step.layerGradientNorms().clone();
      netSampler.sample(1000L * (s + 1));
    }
    final JsonNode m = JSON.readTree(netView.model("n", Double.NEGATIVE_INFINITY));
    assertThat(m.get("now").get("layers").toString()).isEqualTo("[2,3,1]");
    assertThat(m.has("w")).isFalse();
    final JsonNode layers = m.get("layerGradientNorm");
    assertThat(layers).hasSize(2);
    // the moving average (α = 0.01) from the first norm on: after two steps n1 + 0.01·(n2 − n1)
    for (int l = 0; l < 2; l++) {
      assertThat(layers.get(l).get(0).asDouble())
          .isCloseTo(norms[0][l], within(1e-6 * norms[0][l]));
      assertThat(layers.get(l).get(1).asDouble()).isCloseTo(norms[0][l]
          + 0.01 * (norms[1][l] - norms[0][l]), within(1e-6 * norms[0][l]));
    }
    assertThat(JSON.readTree(netView.models("", 0, 10)).get("models").get(0).get("layers")
        .toString()).isEqualTo("[2,3,1]");
  }

  /**
   * A model of K classes: its last steps' label, predicted class and probabilities, oldest first,
   * at most the ring's; its classes by name; accuracy and log loss in its summary.
   */
  @Test
  void aModelOfClassesShowsItsRecentClassProbabilities() throws Exception {
    final ModelSpec classes = new ModelSpec(2, false, Activation.SIGMOID, 0.5, null, 0.0,
        Loss.crossEntropy(Classes.named(List.of("cat", "dog", "bird"))));
    final TrainingMeters classMeters = new TrainingMeters(new SimpleMeterRegistry(), 2);
    final Model model = Model.initial(classes).judgedBy(
        new EvaluationSpec(100, DriftSettings.none()).fresh(EvaluationKind.MULTICLASS));
    final ModelLookup classLookup = only("c", model);
    final LiveView classView = new LiveView(new LiveSampler(classMeters, classLookup),
        classMeters.models(), classLookup, classes);
    final Learner learner = Learner.of(classes);
    final StepResult step = new StepResult();
    final List<double[]> probabilities = new ArrayList<>();
    final List<Integer> predicted = new ArrayList<>();
    final int steps = ModelSeries.RECENT_CLASSES + 5;
    for (int s = 0; s < steps; s++) {
      final double[] x = {s % 3 - 1.0, 0.5};
      final int d = s % 3;
      assertThat(learner.learn(model, x, d, step)).isEqualTo(Verdict.TRAINED);
      model.evaluation().learned(Double.NaN, step, d, model.count());
      classMeters.trained("c", step, model, x, d, 0);
      probabilities.add(step.probabilities().clone());
      predicted.add(step.label());
    }
    final JsonNode m = JSON.readTree(classView.model("c", Double.NEGATIVE_INFINITY));
    assertThat(m.get("classes").toString()).isEqualTo("[\"cat\",\"dog\",\"bird\"]");
    final JsonNode recent = m.get("recentClasses");
    assertThat(recent).hasSize(ModelSeries.RECENT_CLASSES - 1);
    for (int r = 0; r < recent.size(); r++) {
      final int s = steps - recent.size() + r;
      assertThat(recent.get(r).get("d").asInt()).isEqualTo(s % 3);
      assertThat(recent.get(r).get("predicted").asInt()).isEqualTo(predicted.get(s));
      for (int k = 0; k < 3; k++) {
        assertThat(recent.get(r).get("p").get(k).asDouble()).isCloseTo(
            probabilities.get(s)[k], within(1e-6));
      }
    }
    final JsonNode now = m.get("now");
    assertThat(now.get("metric").asText()).isEqualTo("accuracy");
    assertThat(now.get("logLoss").asDouble()).isCloseTo(
        model.evaluation().window().logLoss(), within(1e-12));
  }

  @Test
  void theHistoryIsBoundedWhateverTheRunningTime() throws Exception {
    train("a", 1.0, 1.0);
    for (int s = 0; s < LiveSampler.SAMPLES + 50; s++) {
      sampler.sample(1000L * s);
    }
    final JsonNode o = JSON.readTree(view.overview(Double.NEGATIVE_INFINITY));
    assertThat(o.get("time")).hasSize(LiveSampler.SAMPLES);
    assertThat(o.get("time").get(LiveSampler.SAMPLES - 1).asDouble())
        .isEqualTo(LiveSampler.SAMPLES + 49);
    assertThat(JSON.readTree(view.model("a", Double.NEGATIVE_INFINITY)).get("lossEwma"))
        .hasSize(LiveSampler.SAMPLES);
    // a page that has everything up to a time gets only the samples after it
    final JsonNode since = JSON.readTree(view.overview(LiveSampler.SAMPLES + 46));
    assertThat(since.get("time")).hasSize(3);
    assertThat(since.get("models").get("a").get("time")).hasSize(3);
    assertThat(JSON.readTree(view.model("a", LiveSampler.SAMPLES + 48)).get("lossEwma")).hasSize(1);
    assertThat(JSON.readTree(view.overview(LiveSampler.SAMPLES + 49)).get("time")).isEmpty();
  }

  @Test
  void theModelListIsSearchedAndPagedFromTheKeysTheSamplerRead() throws Exception {
    for (int k = 0; k < 30; k++) {
      train("sensor-" + k, 1.0, 0.5);
    }
    train("<b>other</b>", 1.0, 0.5);
    sampler.sample(0);
    final JsonNode page = JSON.readTree(view.models("SENSOR-1", 1, 5));
    // sensor-1, sensor-10..19: 11 keys, sorted; the second page of five
    assertThat(page.get("total").asInt()).isEqualTo(11);
    final List<String> keys = new ArrayList<>();
    page.get("models").forEach(m -> keys.add(m.get("key").asText()));
    assertThat(keys).containsExactly("sensor-14", "sensor-15", "sensor-16", "sensor-17",
        "sensor-18");
    final JsonNode one = page.get("models").get(0);
    assertThat(one.get("steps").asLong()).isEqualTo(1);
    assertThat(one.get("meanLoss").asDouble()).isCloseTo(0.125, within(1e-12));
    assertThat(one.get("w").get(0).asDouble()).isCloseTo(store.get("sensor-14").weights()[0],
        within(1e-7));
    assertThat(one.get("b").asDouble()).isEqualTo(store.get("sensor-14").bias());
    assertThat(JSON.readTree(view.models("<b>", 0, 50)).get("models").get(0).get("key").asText())
        .isEqualTo("<b>other</b>");
  }

  @Test
  void aTwoParameterModelCarriesItsSurfaceAndThePathOfEveryStep() throws Exception {
    final List<double[]> after = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      train("a", i % 2 == 0 ? 1.0 : -1.0, 0.5);
      after.add(new double[] {store.get("a").weights()[0], store.get("a").bias()});
    }
    sampler.sample(0);
    final JsonNode m = JSON.readTree(view.model("a", Double.NEGATIVE_INFINITY));
    assertThat(m.get("tracked").asBoolean()).isTrue();
    assertThat(m.get("now").get("steps").asLong()).isEqualTo(40);
    final JsonNode surface = m.get("surface");
    assertThat(surface.get("p2").asText()).isEqualTo("b");
    assertThat(surface.get("events").asInt()).isEqualTo(40);
    final JsonNode path = surface.get("path");
    assertThat(path).hasSize(40);
    for (int i = 0; i < 40; i++) {
      // to float precision, what a chart shows
      assertThat(path.get(i).get(0).asDouble()).isCloseTo(after.get(i)[0], within(1e-7));
      assertThat(path.get(i).get(1).asDouble()).isCloseTo(after.get(i)[1], within(1e-7));
    }
    // the surface's value where the model stands: ½(d − w·x − b)² averaged by hand
    final double w = surface.get("x").get(20).asDouble();
    final double b = surface.get("y").get(10).asDouble();
    final double expected = (0.5 * Math.pow(0.5 - w - b, 2) + 0.5 * Math.pow(0.5 + w - b, 2)) / 2;
    assertThat(surface.get("loss").get(10).get(20).asDouble())
        .isCloseTo(expected, within(1e-6 * expected));
  }

  @Test
  void aLongPathIsSentThinnedEndingAtTheLatestStep() throws Exception {
    for (int i = 0; i < 1500; i++) {
      train("a", i % 2 == 0 ? 1.0 : -1.0, 0.5);
    }
    sampler.sample(0);
    final JsonNode path = JSON.readTree(view.model("a", Double.NEGATIVE_INFINITY)).get("surface")
        .get("path");
    // 1,500 steps, every third: 500 points, the last one the model's parameters now
    assertThat(path).hasSize(500);
    assertThat(path.get(499).get(0).asDouble()).isCloseTo(store.get("a").weights()[0],
        within(1e-7));
    assertThat(path.get(499).get(1).asDouble()).isCloseTo(store.get("a").bias(), within(1e-7));
  }

  @Test
  void aModelBeyondTheTrackedOnesShowsItsValuesButNoHistoryAndAnUnknownOneIsNull()
      throws Exception {
    train("a", 1.0, 1.0);
    train("b", 1.0, 1.0);
    train("c", 1.0, 1.0); // the bound is two tracked models
    sampler.sample(0);
    final JsonNode c = JSON.readTree(view.model("c", Double.NEGATIVE_INFINITY));
    assertThat(c.get("tracked").asBoolean()).isFalse();
    assertThat(c.get("now").get("steps").asLong()).isEqualTo(1);
    assertThat(c.has("surface")).isFalse();
    assertThat(view.model("nobody", Double.NEGATIVE_INFINITY)).isNull();
  }
}
