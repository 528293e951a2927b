package io.gradstream.metrics;

import io.gradstream.learn.Model;

/**
 * The latest numbers of one tracked model, written by the stream thread that owns the model and
 * read by the Prometheus scrape. Volatile fields: a scrape sees a recent value, never a torn one.
 */
final class ModelSeries {
  /** Weight of the newest loss in the moving average: about the last 100 events count. */
  static final double EWMA_ALPHA = 0.01;

  private volatile double lossEwma = Double.NaN;
  private final double[] weights;
  private volatile double bias;
  private volatile long steps;

  ModelSeries(final int shownWeights) {
    this.weights = new double[shownWeights];
  }

  void update(final double loss, final Model after) {
    final double previous = lossEwma;
    lossEwma = Double.isNaN(previous) ? loss : previous + EWMA_ALPHA * (loss - previous);
    System.arraycopy(after.weights(), 0, weights, 0, weights.length);
    bias = after.bias();
    steps = after.count();
  }

  double lossEwma() {
    return lossEwma;
  }

  double weight(final int i) {
    return weights[i];
  }

  double bias() {
    return bias;
  }

  double steps() {
    return steps;
  }
}
