package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import java.util.Arrays;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A network's invalid events and overflowing steps change nothing, whichever part of it would
 * overflow; and its prediction is the forward pass of its training step.
 */
class NetworkGuardTest {
  /** 2-2-1, relu hidden units, identity output: W1 = [[1, 0], [0, 1]], b1 = 0, W2 = [1, 1]. */
  private static final double[] START = {1, 0, 0, 1, 0, 0, 1, 1, 0};
  private final StepResult step = new StepResult();

  private static ModelSpec spec(final String optimizer, final double eta) {
    return new ModelSpec(2, false, Activation.IDENTITY, eta, null, 0.0, Loss.SQUARED,
        OptimizerSettings.of(OptimizerKind.named(optimizer)),
        new HiddenLayers(new int[] {2}, Activation.RELU, 42L, START));
  }

  @Test
  void invalidEventsAreRefusedWithTheirReasonAndLeaveTheNetworkAlone() {
    final Network network = new Network(spec("sgd", 0.1));
    final Model model = network.newModel();
    assertThat(network.learn(model, new double[] {1}, 0.5, step))
        .isEqualTo(Verdict.WRONG_FEATURE_COUNT);
    // relu would turn the NaN's net into 0, and −∞'s into 0: the inputs are checked first
    assertThat(network.learn(model, new double[] {1, Double.NaN}, 0.5, step))
        .isEqualTo(Verdict.NON_FINITE_FEATURE);
    assertThat(network.learn(model, new double[] {Double.NEGATIVE_INFINITY, 1}, 0.5, step))
        .isEqualTo(Verdict.NON_FINITE_FEATURE);
    assertThat(network.learn(model, new double[] {1, 2}, Double.NaN, step))
        .isEqualTo(Verdict.NON_FINITE_LABEL);
    assertThat(network.predict(model, new double[] {1, 2, 3}, step))
        .isEqualTo(Verdict.WRONG_FEATURE_COUNT);
    assertThat(network.predict(model, new double[] {Double.NaN, 2}, step))
        .isEqualTo(Verdict.NON_FINITE_FEATURE);
    assertThat(model.weights()).containsExactly(START);
    assertThat(model.count()).isZero();
  }

  @Test
  void logisticLabelsOutsideZeroToOneAreRefused() {
    final ModelSpec logistic = new ModelSpec(2, false, Activation.SIGMOID, 0.1, null, 0.0,
        Loss.LOGISTIC, OptimizerSettings.sgd(), HiddenLayers.of(new int[] {3}, Activation.TANH,
            1L));
    final Network network = new Network(logistic);
    final Model model = network.newModel();
    assertThat(network.learn(model, new double[] {1, 2}, 1.5, step))
        .isEqualTo(Verdict.LABEL_OUT_OF_RANGE);
    assertThat(network.learn(model, new double[] {1, 2}, 1.0, step)).isEqualTo(Verdict.TRAINED);
  }

  /** A hidden unit's net overflows to ∞ while the output stays finite: refused all the same. */
  @Test
  void anOverflowInAHiddenLayerIsRefusedEvenWhenTheOutputHidesIt() {
    // W2 = [0, 0]: the output ignores both hidden units, y = 0 whatever they hold
    final double[] start = {1e300, 1e300, 0, 0, 0, 0, 0, 0, 0};
    final ModelSpec spec = new ModelSpec(2, false, Activation.IDENTITY, 0.1, null, 0.0,
        Loss.SQUARED, OptimizerSettings.sgd(), new HiddenLayers(new int[] {2}, Activation.TANH,
            42L, start));
    final Network network = new Network(spec);
    final Model model = network.newModel();
    assertThat(network.learn(model, new double[] {1e10, 1e10}, 1.0, step))
        .isEqualTo(Verdict.NON_FINITE_STEP);
    assertThat(network.predict(model, new double[] {1e10, 1e10}, step))
        .isEqualTo(Verdict.NON_FINITE_PREDICTION);
    assertThat(model.weights()).containsExactly(start);
    assertThat(model.count()).isZero();
    assertThat(network.predict(model, new double[] {1, 1}, step)).isEqualTo(Verdict.PREDICTED);
    assertThat(step.y()).isZero();
  }

  /** Steps whose new parameters would overflow, plainly and through an optimizer. */
  @ParameterizedTest
  @ValueSource(strings = {"sgd", "momentum"})
  void aStepThatWouldOverflowIsRefusedAndTheNetworkKeepsItsParameters(final String optimizer) {
    final Network network = new Network(spec(optimizer, 1e300));
    final Model model = network.newModel();
    // x = (1, 1): both relus pass 1, y = 2, e = −1; ∂L/∂W2 = 1 each, so η·g = 1e300 and more
    // for W1; with x large the gradient overflows before the step does
    assertThat(network.learn(model, new double[] {1e10, 1e10}, 0.0, step))
        .isEqualTo(Verdict.NON_FINITE_STEP);
    assertThat(model.weights()).containsExactly(START);
    assertThat(model.count()).isZero();
    assertThat(Arrays.stream(model.optimizerState()).allMatch(v -> v == 0.0)).isTrue();
  }

  @Test
  void aPredictionIsTheForwardPassOfTheTrainingStepWithTheSameWeights() {
    final ModelSpec spec = new ModelSpec(3, false, Activation.SIGMOID, 0.2, null, 0.0,
        Loss.SQUARED, OptimizerSettings.sgd(), HiddenLayers.of(new int[] {4, 3},
            Activation.TANH, 9L));
    final Network network = new Network(spec);
    final Model model = network.newModel();
    final double[] x = {0.3, -1.2, 2.0};
    final StepResult predicted = new StepResult();
    assertThat(network.predict(model, x, predicted)).isEqualTo(Verdict.PREDICTED);
    assertThat(model.count()).isZero();
    assertThat(network.learn(model, x, 1.0, step)).isEqualTo(Verdict.TRAINED);
    assertThat(predicted.y()).isEqualTo(step.y());
    assertThat(predicted.net()).isEqualTo(step.net());
    assertThat(step.y()).isEqualTo(1 / (1 + Math.exp(-step.net())), org.assertj.core.api
        .Assertions.within(1e-15));
    assertThat(step.e()).isEqualTo(1.0 - step.y());
    assertThat(step.fPrime()).isEqualTo(step.y() * (1 - step.y()));
    // η·‖g‖ for plain SGD, as for one neuron
    assertThat(step.updateNorm()).isEqualTo(0.2 * step.gradientNorm());
    // the activations of the forward pass: x first, then the 4 and 3 hidden units and the output
    assertThat(step.activations()).hasSize(3 + 4 + 3 + 1);
    assertThat(step.activations()[0]).isEqualTo(0.3);
    assertThat(step.activations()[10]).isEqualTo(step.y());
  }

  /**
   * A gradient beyond √MAX_VALUE: its squares overflow but its norms do not (scaled by the
   * largest entry), so a tiny rate still takes the step; a loss that overflows is refused.
   */
  @Test
  void gradientsWhoseSquaresOverflowStillGetTheirNorms() {
    // 1-1-1, identity everywhere, W1 = 1, b1 = 0, W2 = 1, b2 = 0: h = x, y = x, δ = y − d = x
    final double[] start = {1, 0, 1, 0};
    final ModelSpec spec = new ModelSpec(1, false, Activation.IDENTITY, 1e-300, null, 0.0,
        Loss.SQUARED, OptimizerSettings.sgd(), new HiddenLayers(new int[] {1},
            Activation.IDENTITY, 42L, start));
    final Network network = new Network(spec);
    final Model model = network.newModel();
    // x = 1e100: ∂L/∂W1 = δ·W2·x = 1e200, ∂L/∂b1 = 1e100, ∂L/∂W2 = δ·h = 1e200, ∂L/∂b2 = 1e100
    assertThat(network.learn(model, new double[] {1e100}, 0.0, step)).isEqualTo(Verdict.TRAINED);
    final double layer = Math.hypot(1e200, 1e100);
    assertThat(step.layerGradientNorms()[0]).isCloseTo(layer, Assertions
        .withinPercentage(1e-12));
    assertThat(step.layerGradientNorms()[1]).isCloseTo(layer, Assertions
        .withinPercentage(1e-12));
    assertThat(step.gradientNorm()).isCloseTo(Math.sqrt(2) * layer, org.assertj.core.api
        .Assertions.withinPercentage(1e-12));
    // x = 1e160: ½e² = 5e319 overflows: refused, nothing changes
    final double[] before = model.weights().clone();
    assertThat(network.learn(model, new double[] {1e160}, 0.0, step))
        .isEqualTo(Verdict.NON_FINITE_STEP);
    assertThat(model.weights()).containsExactly(before);
    assertThat(model.count()).isEqualTo(1);
  }

  /** The online loss itself must stay a number: a step whose loss would overflow it is refused. */
  @Test
  void aStepThatWouldOverflowTheLossSumIsRefused() {
    final ModelSpec spec = spec("sgd", 1e-300);
    final Model model = Model.network(spec.layers(), START.clone(), 5, Double.MAX_VALUE,
        new double[0]);
    // y = 1e150 + 1e150, ½e² = 2e300: MAX_VALUE + 2e300 overflows
    assertThat(new Network(spec).learn(model, new double[] {1e150, 1e150}, 0.0, step))
        .isEqualTo(Verdict.NON_FINITE_STEP);
    assertThat(model.count()).isEqualTo(5);
    assertThat(model.lossSum()).isEqualTo(Double.MAX_VALUE);
  }

  @Test
  void aModelOfAnotherShapeIsAnErrorNotAWrongStep() {
    final Network network = new Network(spec("sgd", 0.1));
    assertThatThrownBy(() -> network.learn(new Model(new double[] {1, 2}, false, 0, 0, 0),
        new double[] {1, 2}, 0.0, step)).hasMessageContaining("given to a network [2, 2, 1]");
  }
}
