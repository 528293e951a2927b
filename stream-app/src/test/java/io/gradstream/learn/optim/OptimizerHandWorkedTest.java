package io.gradstream.learn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.Neuron;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Three steps worked by hand for the optimizers with the most to get wrong, and their properties.
 * The setting of the hand-worked steps: one weight starting at 0, no bias, identity, x = 1, d = 1,
 * the squared loss, so the gradient is g = w − 1.
 */
class OptimizerHandWorkedTest {
  private static final double TOL = 1e-15;
  private final StepResult step = new StepResult();

  private static OptimizerSettings settings(final String name, final Double l1, final Double l2) {
    return new OptimizerSettings(OptimizerKind.named(name), null, null, null, null, null, null,
        null, l1, l2, LrSchedule.CONSTANT, null, 0);
  }

  private double[] threeSteps(final OptimizerSettings optimizer, final double lr) {
    final ModelSpec spec = new ModelSpec(1, false, Activation.IDENTITY, lr, null, 0, Loss.SQUARED,
        optimizer);
    final Neuron neuron = new Neuron(spec);
    final Model model = neuron.newModel();
    final double[] w = new double[3];
    for (int t = 0; t < 3; t++) {
      final double before = model.weights()[0];
      assertThat(neuron.learn(model, new double[] {1}, 1, step)).isEqualTo(Verdict.TRAINED);
      w[t] = model.weights()[0];
      assertThat(step.updateNorm()).isCloseTo(Math.abs(w[t] - before), within(1e-16));
    }
    assertThat(model.optimizerState()[0]).as("the optimizer's own step count").isEqualTo(3.0);
    return w;
  }

  private static OptimizerSettings decaying(final String name, final double weightDecay) {
    return new OptimizerSettings(OptimizerKind.named(name), null, null, null, null, null,
        weightDecay, null, null, null, LrSchedule.CONSTANT, null, 0);
  }

  @Test
  void sgdWithWeightDecay() {
    // η = 0.1, λ = 0.5: g' = g + λw
    // 1: g = −1, g' = −1, w = 0.1; 2: g = −0.9, g' = −0.85, w = 0.185;
    // 3: g = −0.815, g' = −0.7225, w = 0.25725
    final ModelSpec spec = new ModelSpec(1, false, Activation.IDENTITY, 0.1, null, 0,
        Loss.SQUARED, decaying("sgd", 0.5));
    final Neuron neuron = new Neuron(spec);
    final Model model = neuron.newModel();
    final double[] expected = {0.1, 0.185, 0.25725};
    for (final double w : expected) {
      neuron.learn(model, new double[] {1}, 1, step);
      assertThat(model.weights()[0]).isCloseTo(w, within(TOL));
    }
    assertThat(model.optimizerState()).as("plain SGD keeps no state").isEmpty();
  }

  @Test
  void momentum() {
    // η = 0.1, μ = 0.9: 1: b = g = −1, w = 0.1; 2: g = −0.9, b = −1.8, w = 0.28;
    // 3: g = −0.72, b = −2.34, w = 0.514
    final double[] w = threeSteps(settings("momentum", null, null), 0.1);
    assertThat(w).containsExactly(new double[] {0.1, 0.28, 0.514}, within(TOL));
  }

  @Test
  void adagrad() {
    // η = 0.1, ε = 1e-10: 1: s = 1, w = 0.1/(1 + 1e-10) = 0.09999999999;
    // 2: g = −0.90000000001, s = 1.81…, w = 0.16689647314768324; 3: w = 0.21954381863448377
    final double[] w = threeSteps(settings("adagrad", null, null), 0.1);
    assertThat(w).containsExactly(
        new double[] {0.09999999999, 0.16689647314768324, 0.21954381863448377}, within(TOL));
  }

  @Test
  void rmsprop() {
    // η = 0.01, α = 0.99, ε = 1e-8: 1: a = 0.01, w = 0.01/(0.1 + 1e-8) = 0.09999999000000101;
    // 2: g = −0.900000009999999, a = 0.0099 + 0.01·g², w = 0.16708202473494083;
    // 3: w = 0.22001771801764602
    final double[] w = threeSteps(settings("rmsprop", null, null), 0.01);
    assertThat(w).containsExactly(
        new double[] {0.09999999000000101, 0.16708202473494083, 0.22001771801764602}, within(TOL));
  }

  @Test
  void adamw() {
    // as adam, with w ← w·(1 − ηλ) first, λ = 0.01: 1: w = 0 then 0.09999999900000009;
    // 2: w·0.999 then the Adam step: 0.19948777028866205; 3: 0.29811508910351564
    final double[] w = threeSteps(decaying("adamw", 0.01), 0.1);
    assertThat(w).containsExactly(
        new double[] {0.09999999900000009, 0.19948777028866205, 0.29811508910351564}, within(TOL));
  }

  @Test
  void adam() {
    // η = 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8
    // 1: g = −1, m = −0.1, v = 0.001, 1 − β1 = 0.1, 1 − β2 = 0.001:
    //    w = 0 − (0.1/0.1)·(−0.1/(√0.001/√0.001 + 1e-8)) = 0.1/(1 + 1e-8) = 0.09999999900000009
    // 2: g = −0.9000000009999999, m = 0.9·−0.1 + 0.1·g = −0.1800000001,
    //    v = 0.999·0.001 + 0.001·g² = 0.0018090000017999999, 1 − β1² = 0.19, 1 − β2² = 0.001999,
    //    w = 0.0999… + (0.1/0.19)·0.1800000001/(√v/√0.001999 + 1e-8) = 0.19958777028766206
    // 3: g = −0.8004122297123379, m = −0.24204122306123382, v = 0.0024478507392712763,
    //    w = 0.2984137254955853
    final double[] w = threeSteps(settings("adam", null, null), 0.1);
    assertThat(w[0]).isCloseTo(0.09999999900000009, within(TOL));
    assertThat(w[1]).isCloseTo(0.19958777028766206, within(TOL));
    assertThat(w[2]).isCloseTo(0.2984137254955853, within(TOL));
  }

  @Test
  void nesterov() {
    // η = 0.1, μ = 0.9; the first buffer is the gradient itself
    // 1: g = −1, b = −1, w = 0 − 0.1·(g + 0.9·b) = 0.19
    // 2: g = −0.81, b = 0.9·−1 − 0.81 = −1.71, w = 0.19 + 0.1·(0.81 + 1.539) = 0.4249
    // 3: g = −0.5751, b = 0.9·−1.71 − 0.5751 = −2.1141, w = 0.4249 + 0.1·(0.5751 + 1.90269)
    //    = 0.672679
    final double[] w = threeSteps(settings("nesterov", null, null), 0.1);
    assertThat(w[0]).isCloseTo(0.19, within(TOL));
    assertThat(w[1]).isCloseTo(0.4249, within(TOL));
    assertThat(w[2]).isCloseTo(0.672679, within(TOL));
  }

  @Test
  void ftrl() {
    // α = 0.5, β = 1, λ1 = 0.1, λ2 = 0.2; z = n = 0
    // 1: g = −1, σ = (√1 − √0)/0.5 = 2, z = −1 − 2·0 = −1, n = 1,
    //    w = −(−1 + 0.1)/((1 + √1)/0.5 + 0.2) = 0.9/4.2 = 0.21428571428571427
    // 2: g = −0.7857142857142857, σ = (√1.6173469387755102 − 1)/0.5 = 0.5434991163949792,
    //    z = −1 + g − σ·0.2142857… = −1.9021783820846383, n = 1.6173469387755102,
    //    w = 1.8021783820846383/((1 + √n)/0.5 + 0.2) = 0.3799259445112491
    // 3: g = −0.6200740554887509, z = −2.6309978498716107, n = 2.001838773065777,
    //    w = 0.5032077948346246
    final double[] w = threeSteps(settings("ftrl", 0.1, 0.2), 0.5);
    assertThat(w[0]).isCloseTo(0.21428571428571427, within(TOL));
    assertThat(w[1]).isCloseTo(0.3799259445112491, within(TOL));
    assertThat(w[2]).isCloseTo(0.5032077948346246, within(TOL));
  }

  @Test
  void adamsFirstStepMovesEachWeightByAboutTheLearningRateAgainstItsGradient() {
    final Random random = new Random(4);
    final ModelSpec spec = new ModelSpec(6, true, Activation.TANH, 0.01,
        new double[] {0.1, -0.3, 0.2, 0, 0.5, -0.1}, 0.2, Loss.SQUARED,
        settings("adam", null, null));
    for (int trial = 0; trial < 50; trial++) {
      final Model model = Model.initial(spec);
      final double[] before = model.weights().clone();
      final double[] x = new double[6];
      for (int i = 0; i < 6; i++) {
        x[i] = random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3); // any scale
      }
      new Neuron(spec).learn(model, x, random.nextGaussian(), step);
      for (int i = 0; i < 6; i++) {
        final double g = step.gradient()[i];
        if (Math.abs(g) > 1e-6) {
          assertThat(model.weights()[i] - before[i]).isCloseTo(-0.01 * Math.signum(g),
              within(0.01 * 1e-6 / Math.abs(g) + 1e-15));
        }
      }
    }
  }

  @Test
  void ftrlsL1KeepsWeakWeightsAtExactlyZero() {
    // x2 carries no signal: its z stays within λ1 and its weight exactly 0; x1's does not
    final Random random = new Random(8);
    final ModelSpec spec = new ModelSpec(2, true, Activation.IDENTITY, 0.5, null, 0,
        Loss.SQUARED, settings("ftrl", 5.0, null));
    final Neuron neuron = new Neuron(spec);
    final Model model = neuron.newModel();
    for (int t = 0; t < 2000; t++) {
      final double[] x = {random.nextGaussian(), 0.01 * random.nextGaussian()};
      neuron.learn(model, x, 2 * x[0] + 0.01 * random.nextGaussian(), step);
    }
    assertThat(model.weights()[1]).isEqualTo(0.0);
    assertThat(model.weights()[0]).isCloseTo(2.0, within(0.05));
  }

  @Test
  void weightDecayNeverTouchesTheBias() {
    // a zero gradient: only decay moves anything. sgd with λ = 0.5, η = 0.1: w ← w·(1 − 0.05)
    final OptimizerSettings decay =
        new OptimizerSettings(OptimizerKind.SGD, null, null, null, null, null, 0.5, null, null,
            null, LrSchedule.CONSTANT, null, 0);
    final ModelSpec spec = new ModelSpec(1, true, Activation.IDENTITY, 0.1, new double[] {2},
        -1, Loss.SQUARED, decay);
    final Model model = Model.initial(spec);
    // net = 2·0.5 − 1 = 0 = d: e = 0, g = 0
    assertThat(new Neuron(spec).learn(model, new double[] {0.5}, 0, step))
        .isEqualTo(Verdict.TRAINED);
    assertThat(model.weights()[0]).isEqualTo(2 - 0.1 * (0.5 * 2));
    assertThat(model.bias()).isEqualTo(-1.0);
  }
}
