package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.learn.race.KeyRace;
import io.gradstream.learn.race.RaceRule;
import io.gradstream.learn.race.RaceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a raced key costs in the store: each variant's model as it would be stored alone, and the
 * race's own fields once (its variants' names, half-life, warm-up, events, champion and weighted
 * losses: 119 bytes for three learning rates). Next to one neuron (96 to 322 bytes) that is 3.3
 * to 3.9 times one model's bytes; the measured ratios are held here (BENCHMARKS.md).
 */
class RaceStoredSizeTest {
  @ParameterizedTest(name = "{0} judged {1}: at most {2} times")
  @CsvSource({"sgd, true, 3.39", "adam, true, 3.28", "sgd, false, 3.93", "adam, false, 3.48"})
  void aRaceOfThreeStoresAtMostThisManyTimesOneModelsBytes(final String optimizer,
      final boolean judged, final double most) {
    final List<String> names = List.of("learning-rate=0.003", "learning-rate=0.01",
        "learning-rate=0.03");
    final List<ModelSpec> specs = new ArrayList<>();
    final Model[] models = new Model[3];
    final KeyRace race = new KeyRace(3);
    final RaceRule rule = new RaceRule(200, 100);
    for (int v = 0; v < 3; v++) {
      final ModelSpec spec = new ModelSpec(1, true, Activation.SIGMOID, 0.003 * Math.pow(3, v),
          null, 0.0, Loss.SQUARED, OptimizerSettings.of(OptimizerKind.named(optimizer)));
      specs.add(spec);
      models[v] = trained(spec, judged, race, v, rule);
    }
    race.decide(rule);
    int alone = 0;
    for (int v = 0; v < 3; v++) {
      alone += new ModelSerde(specs.get(v).stepSettings()).toBytes(models[v]).length;
    }
    final int one = new ModelSerde(specs.get(1).stepSettings()).toBytes(models[1]).length;
    final int raced = new RaceSerde(new RaceSpec(names, specs, rule)).toBytes(
        new RacedModels(models, race)).length;
    // header 10, names 1 + (1 + 19) + 2 · (1 + 18) + 1, half-life 8, warm-up 2, events 1,
    // champion 1, weighted losses 1 + 24 + 1, models 1 + 3 · (1 + 2) + 1 (a union index and a
    // length each)
    assertThat(raced - alone).as("the race's own bytes").isEqualTo(119);
    assertThat((double) raced / one).as("%d bytes raced, %d alone", raced, one)
        .isLessThanOrEqualTo(most).isGreaterThan(3);
  }

  /** A model after 2,000 steps on a line, judged as run judges when {@code judged}. */
  private static Model trained(final ModelSpec spec, final boolean judged, final KeyRace race,
      final int v, final RaceRule rule) {
    final Learner learner = Learner.of(spec);
    final Model model = learner.newModel();
    if (judged) {
      model.judgedBy(EvaluationSpec.defaults().fresh(EvaluationKind.of(spec.loss())));
    }
    final Random random = new Random(3);
    final StepResult step = new StepResult();
    for (int i = 0; i < 2000; i++) {
      final double x = random.nextGaussian();
      learner.learn(model, new double[] {x}, 0.5 + 0.25 * Math.tanh(x), step);
      if (judged) {
        model.evaluation().learned(Double.NaN, step, 0.5 + 0.25 * Math.tanh(x), model.count());
      }
    }
    race.stepped(v, step.loss(), rule);
    return model;
  }
}
