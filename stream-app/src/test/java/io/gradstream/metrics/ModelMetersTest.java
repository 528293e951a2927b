package io.gradstream.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.gradstream.learn.optim.OptimizerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ModelMetersTest {
  private static final double[] X = {1, 2};

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ModelMeters meters = new ModelMeters(registry, 2);

  @Test
  void tracksTheFirstModelsUpToTheBoundAndCountsTheRest() {
    final Model a = new Model(new double[] {0.5, -1}, true, 0.25, 1, 0);
    meters.trained("a", 0.2, null, a, X, 0.5);
    meters.trained("b", 0.2, null, new Model(new double[] {1}, false, 0, 1, 0), X, 0.5);
    meters.trained("c", 0.2, null, new Model(new double[] {1}, false, 0, 1, 0), X, 0.5);
    meters.trained("c", 0.2, null, new Model(new double[] {1}, false, 0, 2, 0), X, 0.5);

    assertThat(registry.find("gradstream.model.loss.ewma").gauges()).hasSize(2);
    assertThat(registry.find("gradstream.model.loss.ewma").tag("model", "c").gauge()).isNull();
    assertThat(registry.get("gradstream.model.series.untracked.events").counter().count())
        .isEqualTo(2.0);
    assertThat(registry.get("gradstream.model.series.tracked").gauge().value()).isEqualTo(2.0);
    assertThat(registry.get("gradstream.model.weight").tags("model", "a", "index", "2").gauge()
        .value()).isEqualTo(-1.0);
    assertThat(registry.get("gradstream.model.bias").tag("model", "a").gauge().value())
        .isEqualTo(0.25);
    assertThat(registry.find("gradstream.model.bias").tag("model", "b").gauge()).isNull();

    // once the bound is reached, the tracked models go on updating
    meters.trained("a", 0.2, null, new Model(new double[] {0.5, -1}, true, 0.75, 2, 0), X, 0.5);
    assertThat(registry.get("gradstream.model.bias").tag("model", "a").gauge().value())
        .isEqualTo(0.75);
    assertThat(registry.get("gradstream.model.series.untracked.events").counter().count())
        .isEqualTo(2.0);
  }

  @Test
  void theLossAverageStartsAtTheFirstLossAndMovesOnePercentPerEvent() {
    final Model m = new Model(new double[] {0}, false, 0, 1, 0);
    meters.trained("m", 1.0, null, m, X, 0.5);
    assertThat(ewma()).isEqualTo(1.0);
    meters.trained("m", 0.0, null, m, X, 0.5);
    assertThat(ewma()).isCloseTo(0.99, within(1e-15)); // 1 + 0.01·(0 − 1)
    for (int i = 0; i < 1000; i++) {
      meters.trained("m", 0.0, null, m, X, 0.5);
    }
    assertThat(ewma()).isCloseTo(0.99 * Math.pow(0.99, 1000), within(1e-12));
    assertThat(registry.get("gradstream.model.steps").tag("model", "m").gauge().value())
        .isEqualTo(1.0);
  }

  @Test
  void onlyTheFirstSixteenWeightsGetSeries() {
    meters.trained("wide", 0.1, null, new Model(new double[100], false, 0, 1, 0), X, 0.5);
    assertThat(registry.find("gradstream.model.weight").tag("model", "wide").gauges())
        .hasSize(ModelMeters.MAX_WEIGHTS);
  }

  /**
   * A relu network: per-layer gradient norms as moving averages, and the hidden units whose
   * output stayed 0 for 1000 steps counted as dead.
   */
  @Test
  void aNetworkShowsItsLayersGradientNormsAndDeadUnits() {
    // W1 = [[1], [-1]], b1 = [0, -5]: for x in [0, 1] the second unit's net is ≤ −4, always dead
    final ModelSpec spec = new ModelSpec(1, false, Activation.IDENTITY, 1e-3, null, 0.0,
        Loss.SQUARED, OptimizerSettings.sgd(), new HiddenLayers(new int[] {2}, Activation.RELU,
            42L, new double[] {1, -1, 0, -5, 0.5, 0.5, 0}));
    final Learner learner = Learner.of(spec);
    final Model model = learner.newModel();
    final StepResult step = new StepResult();
    for (int t = 0; t < 1200; t++) {
      final double x = (t % 10) / 10.0 + 0.05;
      assertThat(learner.learn(model, new double[] {x}, x, step)).isEqualTo(Verdict.TRAINED);
      meters.trained("net", step.loss(), step, model, X, 0.5);
      if (t == 998) {
        assertThat(dead()).as("not before 1000 steps").isZero();
      }
    }
    assertThat(dead()).isEqualTo(1.0);
    assertThat(registry.find("gradstream.model.weight").tag("model", "net").gauges()).isEmpty();
    final double outputNorm = registry.get("gradstream.model.layer.gradient.norm")
        .tags("model", "net", "layer", "2").gauge().value();
    assertThat(outputNorm).isPositive().isLessThan(1.0);
    assertThat(registry.get("gradstream.model.layer.gradient.norm")
        .tags("model", "net", "layer", "1").gauge().value()).isPositive();
  }

  private double dead() {
    return registry.get("gradstream.model.dead.units").tags("model", "net", "layer", "1").gauge()
        .value();
  }

  private double ewma() {
    return registry.get("gradstream.model.loss.ewma").tag("model", "m").gauge().value();
  }
}
