package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The one-weight example worked by hand: one input x = 1, one weight starting at w = 0, no bias,
 * sigmoid, η = 0.1, label d = 1, the same event three times.
 */
class HandWorkedExampleTest {
  private static final double TOL = 1e-15;

  @Test
  void firstThreeSteps() {
    final ModelSpec spec = new ModelSpec(1, false, Activation.SIGMOID, 0.1, new double[] {0.0}, 0);
    final Neuron neuron = new Neuron(spec);
    final Model model = neuron.newModel();
    final StepResult s = new StepResult();
    final double[] x = {1.0};

    // step 1: net = 0·1 = 0; y = 1/(1+e⁰) = 0.5; e = 1 − 0.5 = 0.5; L = ½·0.25 = 0.125
    //         f'(0) = 0.5·(1 − 0.5) = 0.25; ∂L/∂w = 0.5·(−1)·0.25·1 = −0.125
    //         w = 0 − 0.1·(−0.125) = 0.0125
    assertThat(neuron.learn(model, x, 1.0, s)).isEqualTo(Verdict.TRAINED);
    assertThat(s.net()).isEqualTo(0.0);
    assertThat(s.y()).isEqualTo(0.5);
    assertThat(s.e()).isEqualTo(0.5);
    assertThat(s.loss()).isEqualTo(0.125);
    assertThat(s.fPrime()).isEqualTo(0.25);
    assertThat(s.gradient()[0]).isEqualTo(-0.125);
    assertThat(s.gradientNorm()).isEqualTo(0.125);
    assertThat(model.weights()[0]).isEqualTo(0.0125);
    assertThat(s.updateNorm()).isEqualTo(0.1 * 0.125);

    // step 2: net = 0.0125; e^(−0.0125) = 0.987577800493881; y = 1/1.987577800493881
    //         = 0.5031249593105316; e = 0.4968750406894684; L = ½e² = 0.12344240303008044
    //         f' = y(1 − y) = 0.24999023462930753; ∂L/∂w = −e·f'·1 = −0.12421390800340694
    //         w = 0.0125 + 0.1·0.12421390800340694 = 0.024921390800340695
    assertThat(neuron.learn(model, x, 1.0, s)).isEqualTo(Verdict.TRAINED);
    assertThat(s.net()).isEqualTo(0.0125);
    assertThat(s.y()).isCloseTo(0.5031249593105316, within(TOL));
    assertThat(s.e()).isCloseTo(0.4968750406894684, within(TOL));
    assertThat(s.loss()).isCloseTo(0.12344240303008044, within(TOL));
    assertThat(s.fPrime()).isCloseTo(0.24999023462930753, within(TOL));
    assertThat(s.gradient()[0]).isCloseTo(-0.12421390800340694, within(TOL));
    assertThat(model.weights()[0]).isCloseTo(0.024921390800340695, within(TOL));

    // step 3: net = 0.024921390800340695; y = 0.5062300252603045; e = 0.4937699747396955
    //         f' = 0.24996118678525597; ∂L/∂w = −0.12342332888486016; w = 0.03726372368882671
    assertThat(neuron.learn(model, x, 1.0, s)).isEqualTo(Verdict.TRAINED);
    assertThat(s.y()).isCloseTo(0.5062300252603045, within(TOL));
    assertThat(s.loss()).isCloseTo(0.12190439397721978, within(TOL));
    assertThat(model.weights()[0]).isCloseTo(0.03726372368882671, within(TOL));

    // prequential bookkeeping: three steps, losses summed before each step
    assertThat(model.count()).isEqualTo(3);
    assertThat(model.lossSum())
        .isCloseTo(0.125 + 0.12344240303008044 + 0.12190439397721978, within(TOL));
  }
}
