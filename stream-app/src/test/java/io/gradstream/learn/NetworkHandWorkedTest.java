package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * One step of a 1-2-1 network written out by hand, one factor of the chain rule at a time: tanh
 * hidden units, an identity output, the squared loss, plain SGD with η = 0.05.
 */
class NetworkHandWorkedTest {
  @Test
  void oneStepOfATwoLayerNetworkByTheChainRule() {
    // W1 = [[0.5], [-1.0]], b1 = [0.1, 0.2], W2 = [[2.0, 0.5]], b2 = [-0.3]
    final double[] start = {0.5, -1.0, 0.1, 0.2, 2.0, 0.5, -0.3};
    final ModelSpec spec = NetworkGradientTest.spec(1, new int[] {2}, Activation.TANH,
        Activation.IDENTITY, Loss.SQUARED, start);
    final Model model = Model.initial(spec);
    final StepResult step = new StepResult();
    final double x = 0.8;
    final double d = 1.0;

    assertThat(new Network(spec).learn(model, new double[] {x}, d, step))
        .isEqualTo(Verdict.TRAINED);

    // forward: z1 = W1·x + b1 = (0.5, -0.6); h = tanh(z1); net = W2·h + b2; y = net
    final double h1 = Math.tanh(0.5);
    final double h2 = Math.tanh(-0.6);
    final double y = 2.0 * h1 + 0.5 * h2 - 0.3;
    final double e = d - y;
    assertThat(step.y()).isCloseTo(y, within(1e-15));
    assertThat(step.loss()).isCloseTo(0.5 * e * e, within(1e-15));
    // backward: δ2 = ∂L/∂net = −e (identity: f' = 1)
    final double delta2 = -e;
    // output layer: ∂L/∂W2 = δ2·h, ∂L/∂b2 = δ2
    // hidden layer: δ1_j = W2_j·δ2·(1 − h_j²); ∂L/∂W1_j = δ1_j·x; ∂L/∂b1_j = δ1_j
    final double delta11 = 2.0 * delta2 * (1 - h1 * h1);
    final double delta12 = 0.5 * delta2 * (1 - h2 * h2);
    final double[] gradient = {delta11 * x, delta12 * x, delta11, delta12,
        delta2 * h1, delta2 * h2, delta2};
    for (int k = 0; k < gradient.length; k++) {
      assertThat(step.gradient()[k]).as("∂L/∂θ%d", k).isCloseTo(gradient[k], within(1e-15));
      assertThat(model.weights()[k]).as("θ%d after the step", k)
          .isCloseTo(start[k] - 0.05 * gradient[k], within(1e-15));
    }
    // per layer: ‖(∂L/∂W1, ∂L/∂b1)‖ and ‖(∂L/∂W2, ∂L/∂b2)‖
    assertThat(step.layerGradientNorms()).hasSize(2);
    assertThat(step.layerGradientNorms()[0]).isCloseTo(Math.sqrt(delta11 * delta11 * (x * x + 1)
        + delta12 * delta12 * (x * x + 1)), within(1e-15));
    assertThat(step.layerGradientNorms()[1]).isCloseTo(Math.abs(delta2)
        * Math.sqrt(h1 * h1 + h2 * h2 + 1), within(1e-15));
    assertThat(model.count()).isEqualTo(1);
    assertThat(model.lossSum()).isEqualTo(step.loss());
  }
}
