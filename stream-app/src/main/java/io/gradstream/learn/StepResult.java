package io.gradstream.learn;

/**
 * Everything one step computed, kept so users can see why a model learns fast, slowly or not at
 * all: the error e, the activation's slope f'(net) and the gradient they make with x. One instance
 * is reused for every event of a thread, so its arrays are only valid until the next step.
 */
public final class StepResult {
  double net;
  double y;
  double e;
  double fPrime;
  double loss;
  double[] gradient = new double[0];
  double biasGradient;
  double gradientNorm;
  double updateNorm;

  public double net() {
    return net;
  }

  public double y() {
    return y;
  }

  public double e() {
    return e;
  }

  public double fPrime() {
    return fPrime;
  }

  public double loss() {
    return loss;
  }

  /** ∂L/∂w; its length is the model's number of features. */
  public double[] gradient() {
    return gradient;
  }

  /** ∂L/∂b; 0 when the model has no bias. */
  public double biasGradient() {
    return biasGradient;
  }

  /** L2 norm over ∂L/∂w and, with a bias, ∂L/∂b. */
  public double gradientNorm() {
    return gradientNorm;
  }

  /**
   * How far the step moved the parameters: the L2 norm of their change (weights and bias). For
   * plain SGD η·‖∇L‖; for an adaptive optimizer what its rescaling made of the gradient.
   */
  public double updateNorm() {
    return updateNorm;
  }

  double[] gradientBuffer(final int n) {
    if (gradient.length != n) {
      gradient = new double[n];
    }
    return gradient;
  }
}
