package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Invalid events and overflowing steps change nothing in the model. */
class NeuronGuardTest {
  private final ModelSpec spec = new ModelSpec(2, true, Activation.TANH, 0.1,
      new double[] {0.3, -0.2}, 0.05);
  private final Neuron neuron = new Neuron(spec);
  private final StepResult step = new StepResult();

  @Test
  void invalidEventsAreRefusedWithTheirReasonAndLeaveTheModelAlone() {
    final Model model = neuron.newModel();
    assertThat(neuron.learn(model, new double[] {1}, 0.5, step))
        .isEqualTo(Verdict.WRONG_FEATURE_COUNT);
    assertThat(neuron.learn(model, new double[] {1, 2, 3}, 0.5, step))
        .isEqualTo(Verdict.WRONG_FEATURE_COUNT);
    assertThat(neuron.learn(model, new double[] {1, Double.NaN}, 0.5, step))
        .isEqualTo(Verdict.NON_FINITE_FEATURE);
    assertThat(neuron.learn(model, new double[] {Double.NEGATIVE_INFINITY, 1}, 0.5, step))
        .isEqualTo(Verdict.NON_FINITE_FEATURE);
    assertThat(neuron.learn(model, new double[] {1, 2}, Double.NaN, step))
        .isEqualTo(Verdict.NON_FINITE_LABEL);
    assertThat(neuron.learn(model, new double[] {1, 2}, Double.POSITIVE_INFINITY, step))
        .isEqualTo(Verdict.NON_FINITE_LABEL);
    assertUnchanged(model, 0.3, -0.2, 0.05);
  }

  @Test
  void aStepThatWouldOverflowIsRefusedAndTheModelKeepsItsWeights() {
    final ModelSpec identity = new ModelSpec(1, false, Activation.IDENTITY, 0.1, null, 0);
    final Neuron linear = new Neuron(identity);
    final Model model = linear.newModel();
    // w = 0: net = 0, e = 1, ∂L/∂w = −1e300, w = 1e299: large but finite, so it is taken
    assertThat(linear.learn(model, new double[] {1e300}, 1.0, step)).isEqualTo(Verdict.TRAINED);
    final double w = model.weights()[0];
    assertThat(w).isEqualTo(1e299);
    // now net = 1e299·1e300 overflows: refused, nothing moves
    assertThat(linear.learn(model, new double[] {1e300}, 1.0, step))
        .isEqualTo(Verdict.NON_FINITE_STEP);
    assertThat(model.weights()[0]).isEqualTo(w);
    assertThat(model.count()).isEqualTo(1);
    // an ordinary event still trains afterwards
    assertThat(linear.learn(model, new double[] {1e-300}, 1.0, step)).isEqualTo(Verdict.TRAINED);
    assertThat(model.count()).isEqualTo(2);
  }

  @Test
  void subnormalInputsAreOrdinaryNumbers() {
    final Model model = neuron.newModel();
    assertThat(neuron.learn(model, new double[] {Double.MIN_VALUE, -4.9e-324}, 0.5, step))
        .isEqualTo(Verdict.TRAINED);
    assertThat(model.count()).isEqualTo(1);
  }

  @Test
  void impossibleSettingsAreRefusedAtConstruction() {
    assertThatThrownBy(() -> new ModelSpec(0, false, Activation.SIGMOID, 0.1, null, 0))
        .hasMessageContaining("features must be at least 1");
    assertThatThrownBy(() -> new ModelSpec(1, false, Activation.SIGMOID, 0, null, 0))
        .hasMessageContaining("learning rate");
    assertThatThrownBy(() -> new ModelSpec(1, false, Activation.SIGMOID, -0.1, null, 0))
        .hasMessageContaining("learning rate");
    assertThatThrownBy(() -> new ModelSpec(1, false, Activation.SIGMOID, Double.NaN, null, 0))
        .hasMessageContaining("learning rate");
    assertThatThrownBy(() -> new ModelSpec(1, false, Activation.SIGMOID,
        Double.POSITIVE_INFINITY, null, 0)).hasMessageContaining("learning rate");
    assertThatThrownBy(() -> new ModelSpec(2, false, Activation.SIGMOID, 0.1, new double[] {1}, 0))
        .hasMessageContaining("init weights has 1 value but features is 2");
    assertThatThrownBy(() -> new ModelSpec(1, false, Activation.SIGMOID, 0.1,
        new double[] {Double.NaN}, 0)).hasMessageContaining("init weights must be finite");
  }

  private static void assertUnchanged(final Model model, final double w1, final double w2,
      final double b) {
    assertThat(model.weights()).containsExactly(w1, w2);
    assertThat(model.bias()).isEqualTo(b);
    assertThat(model.count()).isZero();
    assertThat(model.lossSum()).isZero();
  }
}
