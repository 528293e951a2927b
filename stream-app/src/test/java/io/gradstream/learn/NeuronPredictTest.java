package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A prediction is the forward pass by hand, refuses what a step refuses, and changes nothing. */
class NeuronPredictTest {
  private static final ModelSpec SPEC = new ModelSpec(3, true, Activation.SIGMOID, 0.1,
      new double[] {0.5, -1, 2}, 0.25);

  @Test
  void yIsTheActivationOfWDotXPlusBWithTheModelAsItIs() {
    final Neuron neuron = new Neuron(SPEC);
    final Model model = neuron.newModel();
    final StepResult out = new StepResult();
    assertThat(neuron.predict(model, new double[] {1, 2, 0.5}, out)).isEqualTo(Verdict.PREDICTED);
    // net = 0.5 − 2 + 1 + 0.25 = −0.25
    assertThat(out.net()).isEqualTo(-0.25);
    assertThat(out.y()).isEqualTo(1 / (1 + StrictMath.exp(0.25)));
    assertThat(model.weights()).containsExactly(0.5, -1, 2);
    assertThat(model.bias()).isEqualTo(0.25);
    assertThat(model.count()).isZero();
  }

  @Test
  void aPredictionEqualsTheForwardPassOfAStepAtTheSamePoint() {
    final Neuron neuron = new Neuron(SPEC);
    final Model model = neuron.newModel();
    final StepResult step = new StepResult();
    neuron.learn(model, new double[] {0.3, -0.7, 1.1}, 0.9, step);
    final double[] x = {-1.5, 0.25, 4};
    final StepResult predicted = new StepResult();
    neuron.predict(model, x, predicted);
    final Model copy = new Model(model.weights().clone(), true, model.bias(), model.count(),
        model.lossSum());
    neuron.learn(copy, x, 0.5, step);
    assertThat(Double.doubleToRawLongBits(predicted.y()))
        .isEqualTo(Double.doubleToRawLongBits(step.y()));
    assertThat(predicted.net()).isEqualTo(step.net());
  }

  @Test
  void whatCannotBePredictedSaysWhy() {
    final Neuron neuron = new Neuron(new ModelSpec(2, false, Activation.IDENTITY, 0.1,
        new double[] {1, 1}, 0));
    final Model model = neuron.newModel();
    final StepResult out = new StepResult();
    assertThat(neuron.predict(model, new double[] {1}, out))
        .isEqualTo(Verdict.WRONG_FEATURE_COUNT);
    assertThat(neuron.predict(model, new double[] {1, 2, 3}, out))
        .isEqualTo(Verdict.WRONG_FEATURE_COUNT);
    assertThat(neuron.predict(model, new double[] {Double.NaN, 1}, out))
        .isEqualTo(Verdict.NON_FINITE_FEATURE);
    assertThat(neuron.predict(model, new double[] {1, Double.NEGATIVE_INFINITY}, out))
        .isEqualTo(Verdict.NON_FINITE_FEATURE);
    // finite x whose w·x overflows: identity would serve infinity
    assertThat(neuron.predict(model, new double[] {1e308, 1e308}, out))
        .isEqualTo(Verdict.NON_FINITE_PREDICTION);
    assertThat(neuron.predict(model, new double[] {1e308, -1e308}, out))
        .isEqualTo(Verdict.PREDICTED);
    assertThat(out.y()).isZero();
  }

  @Test
  void aNeuronPredictsWithItsOwnSpec() {
    assertThat(new Neuron(SPEC).spec()).isSameAs(SPEC);
  }
}
