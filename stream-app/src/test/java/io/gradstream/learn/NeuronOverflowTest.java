package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The guard at the edges of the double range, lane by lane: the step is checked for overflow in
 * each of the four lanes and in the tail separately, the loss sum too, and a gradient whose squares
 * overflow but whose norm does not is still measured exactly.
 */
class NeuronOverflowTest {
  private final StepResult step = new StepResult();

  @Test
  void anOverflowingWeightIsRefusedWhicheverLaneOrTailHoldsIt() {
    // n = 5: positions 0..3 are the four lanes, 4 the tail. Weights +1.7e308 and −1.7e308 on x = 1
    // cancel (net = 0, e = d = 1, ∂L/∂w = −1 on both), and with η = 1e308 the step takes the
    // positive one to 1.7e308 + 1e308 = ∞ (the negative one to −0.7e308, finite).
    final ModelSpec spec = new ModelSpec(5, false, Activation.IDENTITY, 1e308, null, 0);
    for (int big = 0; big < 5; big++) {
      final int other = (big + 1) % 5;
      final double[] w = new double[5];
      w[big] = 1.7e308;
      w[other] = -1.7e308;
      final double[] x = new double[5];
      x[big] = 1;
      x[other] = 1;
      final Model model = new Model(w.clone(), false, 0, 0, 0);
      assertThat(new Neuron(spec).learn(model, x, 1.0, step)).as("weight %d", big)
          .isEqualTo(Verdict.NON_FINITE_STEP);
      assertThat(model.weights()).as("weight %d", big).containsExactly(w);
      assertThat(model.count()).isZero();
    }
  }

  @Test
  void anOptimizersOverflowingStepIsRefusedAndLeavesWeightsAndStateAsTheyWere() {
    // the same overflow, through momentum (whose first buffer is the gradient): its state and its
    // step count stay as they were
    final ModelSpec spec = new ModelSpec(2, true, Activation.IDENTITY, 1e308, null, 0,
        Loss.SQUARED, OptimizerSettings.of(OptimizerKind.MOMENTUM));
    final Model model = new Model(new double[] {1.7e308, -1.7e308}, true, 0, 0, 0,
        new double[1 + 3]);
    assertThat(new Neuron(spec).learn(model, new double[] {1, 1}, 1.0, step))
        .isEqualTo(Verdict.NON_FINITE_STEP);
    assertThat(model.weights()).containsExactly(1.7e308, -1.7e308);
    assertThat(model.optimizerState()).containsOnly(0.0);
    assertThat(model.count()).isZero();
  }

  @Test
  void aLossSumThatWouldOverflowIsRefused() {
    // identity, w = 0, x = 1, d = 1.5e154: loss = ½d² = 1.125e308, finite, but the sum overflows
    final ModelSpec spec = new ModelSpec(1, false, Activation.IDENTITY, 0.1, null, 0);
    final Model model = new Model(new double[] {0}, false, 0, 3, 1.7e308);
    assertThat(new Neuron(spec).learn(model, new double[] {1}, 1.5e154, step))
        .isEqualTo(Verdict.NON_FINITE_STEP);
    assertThat(model.lossSum()).isEqualTo(1.7e308);
    assertThat(model.weights()).containsExactly(0.0);
    // the same event on a fresh model is taken
    final Model fresh = new Model(new double[] {0}, false, 0, 0, 0);
    assertThat(new Neuron(spec).learn(fresh, new double[] {1}, 1.5e154, step))
        .isEqualTo(Verdict.TRAINED);
    assertThat(fresh.lossSum()).isEqualTo(0.5 * 1.5e154 * 1.5e154);
  }

  @Test
  void aGradientWhoseSquaresOverflowHasItsNormMeasuredExactly() {
    // identity, w = 0, d = 1e154: e = 1e154, ∂L/∂w = −1e154·x up to 3e164, whose squares (1e329)
    // overflow; a tiny η keeps the step finite. Expected: the exact sum of the squares of the
    // gradient's doubles, in decimal, and its square root.
    final double[] x = {1e10, -2e10, 3e10, 0.5e10, 7e9};
    final ModelSpec spec = new ModelSpec(5, true, Activation.IDENTITY, 1e-200, null, 0);
    final Model model = Model.initial(spec);
    assertThat(new Neuron(spec).learn(model, x, 1e154, step)).isEqualTo(Verdict.TRAINED);
    BigDecimal squares = new BigDecimal(step.biasGradient()).pow(2);
    for (final double g : step.gradient()) {
      squares = squares.add(new BigDecimal(g).pow(2));
    }
    final double exact = squares.sqrt(MathContext.DECIMAL128).doubleValue();
    assertThat(step.gradientNorm()).isCloseTo(exact, within(exact * 1e-15));
    assertThat(step.gradient()[2]).isEqualTo(-1e154 * 3e10);

    // a gradient entry that is itself infinite: the norm says so, and the step is refused
    final Model other = Model.initial(spec);
    assertThat(new Neuron(spec).learn(other, new double[] {1e300, 0, 0, 0, 0}, 1e154, step))
        .isEqualTo(Verdict.NON_FINITE_STEP);
    assertThat(step.gradientNorm()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void netIsSummedInTheDocumentedOrderSoStoredModelsReplayBitForBitAcrossVersions() {
    // below four features: b, then each product in turn; from four on: four lanes, the tail in the
    // first, added pairwise. The numbers are chosen so that the two orders differ in the last bit.
    final double b = 0.3;
    final double[] w = {0.1, 0.2, 0.3, 0.4, 0.5};
    final double[] x = {0.7, 1.3, -2.9, 0.11, 3.7};
    final double four = ((b + w[0] * x[0]) + w[1] * x[1]) + (w[2] * x[2] + w[3] * x[3]);
    final double five = (((b + w[0] * x[0]) + w[4] * x[4]) + w[1] * x[1])
        + (w[2] * x[2] + w[3] * x[3]);
    final double three = ((b + w[0] * x[0]) + w[1] * x[1]) + w[2] * x[2];
    assertThat(four).isNotEqualTo((((b + w[0] * x[0]) + w[1] * x[1]) + w[2] * x[2]) + w[3] * x[3]);
    assertThat(five).isNotEqualTo(((((b + w[0] * x[0]) + w[1] * x[1]) + w[2] * x[2]) + w[3] * x[3])
        + w[4] * x[4]);
    for (final int n : new int[] {3, 4, 5}) {
      final ModelSpec spec = new ModelSpec(n, true, Activation.IDENTITY, 0.1,
          Arrays.copyOf(w, n), b);
      new Neuron(spec).learn(Model.initial(spec), Arrays.copyOf(x, n), 0, step);
      assertThat(step.net()).as("n = %d", n).isEqualTo(n == 3 ? three : n == 4 ? four : five);
    }
  }
}
