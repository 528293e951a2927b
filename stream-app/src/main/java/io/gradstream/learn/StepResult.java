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
  double[] layerNorms = new double[0];
  double[] activations = new double[0];
  /** Where the first hidden unit's output is in {@link #activations}. */
  int hiddenFrom;
  double[] probabilities = new double[0];
  int label = -1;

  public double net() {
    return net;
  }

  /**
   * The output f(net); of a multi-class model the probability of a class: in a training step the
   * label's (and {@link #e()} = 1 − y), in a prediction the predicted {@link #label()}'s.
   */
  public double y() {
    return y;
  }

  /**
   * The K class probabilities of a multi-class model, in class order (the learner's own array,
   * valid until its next event); empty for one output.
   */
  public double[] probabilities() {
    return probabilities;
  }

  /** The class of the largest probability (the first of equals); -1 for one output. */
  public int label() {
    return label;
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

  /**
   * ∂L/∂w; its length is the model's number of features. For a network ∂L/∂θ over all its
   * parameters, in the order of its layers.
   */
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

  /**
   * For a network, the L2 norm of each layer's gradient (its weights and biases), from the input
   * side; empty for one neuron. A layer whose norm falls towards 0 while the output's does not
   * is a vanishing gradient.
   */
  public double[] layerGradientNorms() {
    return layerNorms;
  }

  /**
   * For a network, the output of every unit in its forward pass (with the weights before the
   * step), layer after layer from the input (x itself first); the learner's own array, valid
   * until its next event. Empty for one neuron.
   */
  public double[] activations() {
    return activations;
  }

  /**
   * Where the first hidden unit's output is in {@link #activations()}: after x for a dense
   * network, at 0 for a hashed one (which keeps no activations of its 2^B inputs).
   */
  public int hiddenUnitsFrom() {
    return hiddenFrom;
  }

  double[] probabilitiesBuffer(final int k) {
    if (probabilities.length != k) {
      probabilities = new double[k];
    }
    return probabilities;
  }

  double[] layerNormsBuffer(final int layers) {
    if (layerNorms.length != layers) {
      layerNorms = new double[layers];
    }
    return layerNorms;
  }

  double[] gradientBuffer(final int n) {
    if (gradient.length != n) {
      gradient = new double[n];
    }
    return gradient;
  }
}
