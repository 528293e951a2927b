package io.gradstream.learn;

/**
 * One model's mutable state: weights, bias, how many events it has learned from and the sum of
 * their prequential losses. Mutated in place by {@link Neuron} so a step allocates nothing.
 */
public final class Model {
  private final double[] weights;
  private final boolean hasBias;
  private double bias;
  private long count;
  private double lossSum;

  public Model(final double[] weights, final boolean hasBias, final double bias, final long count,
      final double lossSum) {
    this.weights = weights;
    this.hasBias = hasBias;
    this.bias = hasBias ? bias : 0.0;
    this.count = count;
    this.lossSum = lossSum;
  }

  /** A model that has seen nothing yet, at the spec's starting point. */
  public static Model initial(final ModelSpec spec) {
    return new Model(spec.initWeights(), spec.bias(), spec.initBias(), 0L, 0.0);
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
