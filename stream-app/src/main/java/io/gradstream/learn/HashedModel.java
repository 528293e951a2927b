package io.gradstream.learn;

/**
 * One hashed model's mutable state: the weights of the coordinates it has touched with their
 * optimizer state ({@link SparseWeights}), the bias and its optimizer state, the optimizer's step
 * count, how many events it has learned from and the sum of their prequential losses. Mutated in
 * place by its {@link HashedNeuron}.
 */
public final class HashedModel {
  private final int bits;
  private final SparseWeights weights;
  private final boolean hasBias;
  private final double[] biasState;
  private double bias;
  private double optimizerSteps;
  private long count;
  private double lossSum;

  /** A model that has seen nothing: every weight 0, the bias 0, no optimizer state. */
  public HashedModel(final int bits, final boolean hasBias, final int stateSlots) {
    this(bits, new SparseWeights(stateSlots), hasBias, 0.0, new double[stateSlots], 0.0, 0L, 0.0);
  }

  private HashedModel(final int bits, final SparseWeights weights, final boolean hasBias,
      final double bias, final double[] biasState, final double optimizerSteps, final long count,
      final double lossSum) {
    this.bits = bits;
    this.weights = weights;
    this.hasBias = hasBias;
    this.bias = bias;
    this.biasState = biasState;
    this.optimizerSteps = optimizerSteps;
    this.count = count;
    this.lossSum = lossSum;
  }

  /** A model of its own with the same values: stepping one leaves the other as it was. */
  public HashedModel copy() {
    return new HashedModel(bits, weights.copy(), hasBias, bias, biasState.clone(), optimizerSteps,
        count, lossSum);
  }

  /** B: the input has 2^B coordinates. */
  public int bits() {
    return bits;
  }

  /** The weights themselves (not a copy): callers read, only the learner writes. */
  public SparseWeights weights() {
    return weights;
  }

  public boolean hasBias() {
    return hasBias;
  }

  /** The bias; 0 when the model has none. */
  public double bias() {
    return bias;
  }

  /** Slot {@code k} of the bias's optimizer state. */
  public double biasState(final int k) {
    return biasState[k];
  }

  /** The optimizer's own step count (its bias corrections count these). */
  public double optimizerSteps() {
    return optimizerSteps;
  }

  public long count() {
    return count;
  }

  public double lossSum() {
    return lossSum;
  }

  void setBiasState(final int k, final double value) {
    biasState[k] = value;
  }

  void commitStep(final double newBias, final double steps, final double loss) {
    bias = hasBias ? newBias : 0.0;
    optimizerSteps = steps;
    lossSum += loss;
    count++;
  }
}
