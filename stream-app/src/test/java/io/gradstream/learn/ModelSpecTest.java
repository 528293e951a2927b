package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
  private static ModelSpec relu(final boolean bias, final double[] w, final double b) {
    return new ModelSpec(w.length, bias, Activation.RELU, 0.1, w, b);
  }

  @Test
  void reluFromAZeroStartIsWarnedAboutBecauseItNeverLearns() {
    // checked by hand: w = 0 and b ≤ 0 give net ≤ 0 for every x, relu'(net) = 0, gradient 0
    final Model stuck = Model.initial(relu(false, new double[] {0, 0}, 0));
    assertThat(new Neuron(relu(false, new double[] {0, 0}, 0)).learn(stuck,
        new double[] {1, 2}, 5, new StepResult())).isEqualTo(Outcome.TRAINED);
    assertThat(stuck.weights()).containsExactly(0.0, 0.0);

    assertThat(relu(false, new double[] {0, 0}, 0).warnings()).singleElement().asString()
        .startsWith("relu from all-zero starting weights never learns")
        .contains("--init-weights").doesNotContain("--init-bias");
    assertThat(relu(true, new double[] {0}, 0).warnings()).singleElement().asString()
        .contains("and a bias ≤ 0").contains("a positive --init-bias");
    assertThat(relu(true, new double[] {0}, -1).warnings()).hasSize(1);
    // any way out of net = 0 learns
    assertThat(relu(false, new double[] {0, 0.1}, 0).warnings()).isEmpty();
    assertThat(relu(true, new double[] {0}, 0.1).warnings()).isEmpty();
    assertThat(new ModelSpec(1, false, Activation.LEAKY_RELU, 0.1, null, 0).warnings()).isEmpty();
    assertThat(ModelSpec.defaults(3).warnings()).isEmpty();
  }

  @Test
  void stepSettingsNameEverythingThatDecidesAStepAndLeaveOutWhatWasThereBeforeTheyWereStored() {
    // squared loss and plain SGD are how every model was trained before they were settings
    assertThat(new ModelSpec(4, true, Activation.TANH, 0.05, null, 0.5).stepSettings())
        .isEqualTo(Map.of("activation", "tanh", "learning-rate", "0.05"));
    final ModelSpec adam = new ModelSpec(2, true, Activation.SIGMOID, 0.01, null, 0,
        Loss.LOGISTIC, new io.gradstream.learn.optim.OptimizerSettings("adam", null, 0.8, null,
            null, null, null, null, null, null, "invscaling", 0.25, 5));
    assertThat(adam.stepSettings()).isEqualTo(Map.of("activation", "sigmoid",
        "learning-rate", "0.01", "loss", "logistic", "optimizer", "adam", "beta1", "0.8",
        "beta2", "0.999", "epsilon", "1.0E-8", "lr-schedule", "invscaling", "power-t", "0.25",
        "clip-norm", "5.0"));
  }
}
