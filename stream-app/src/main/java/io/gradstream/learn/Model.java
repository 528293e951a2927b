package io.gradstream.learn;

/**
 * One model's mutable state: weights, bias, how many events it has learned from, the sum of their
 * prequential losses, and its optimizer's state. Mutated in place by {@link Neuron} so a step
 * allocates nothing.
 */
public final class Model {
  private static final double[] NO_STATE = {};

  private final double[] weights;
  private final double[] optimizerState;
  private final boolean hasBias;
  private double bias;
  private long count;
  private double lossSum;

  public Model(final double[] weights, final boolean hasBias, final double bias, final long count,
      final double lossSum) {
    this(weights, hasBias, bias, count, lossSum, NO_STATE);
  }

  /**
   * @param optimizerState the optimizer's step count, then its slots parameter by parameter (the
   *     weights in order, then the bias); empty for plain SGD
   */
  public Model(final double[] weights, final boolean hasBias, final double bias, final long count,
      final double lossSum, final double[] optimizerState) {
    this.weights = weights;
    this.optimizerState = optimizerState;
    this.hasBias = hasBias;
    this.bias = hasBias ? bias : 0.0;
    this.count = count;
    this.lossSum = lossSum;
  }

  /** A model that has seen nothing yet, at the spec's starting point. */
  public static Model initial(final ModelSpec spec) {
    return new Model(spec.initWeights(), spec.bias(), spec.initBias(), 0L, 0.0,
        freshState(spec));
  }

  /** The optimizer state {@code spec}'s optimizer starts a model with: zeros, or none. */
  static double[] freshState(final ModelSpec spec) {
    final int size = spec.optimizerStateSize();
    return size == 0 ? NO_STATE : new double[size];
  }

  /** Its weights, bias, steps and loss, with the fresh optimizer state of {@code spec}. */
  public Model withFreshState(final ModelSpec spec) {
    return new Model(weights, hasBias, bias, count, lossSum, freshState(spec));
  }

  /** The optimizer's state itself (not a copy): callers read, only {@link Neuron} writes. */
  public double[] optimizerState() {
    return optimizerState;
  }

  /** The weights themselves (not a copy): callers read, only {@link Neuron} writes. */
  public double[] weights() {
    return weights;
  }

  public int features() {
    return weights.length;
  }

  public boolean hasBias() {
    return hasBias;
  }

  /** The bias; 0 when the model has none (so net = w·x + bias holds either way). */
  public double bias() {
    return bias;
  }

  public long count() {
    return count;
  }

  public double lossSum() {
    return lossSum;
  }

  void commitStep(final double newBias, final double loss) {
    bias = newBias;
    lossSum += loss;
    count++;
  }
}
