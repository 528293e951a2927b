package io.gradstream.metrics;

import io.gradstream.learn.Layers;
import io.gradstream.learn.Model;
import io.gradstream.learn.StepResult;

/**
 * The latest numbers of one tracked model, written by the stream thread that owns the model and
 * read by the Prometheus scrape. Volatile fields: a scrape sees a recent value, never a torn one.
 */
final class ModelSeries {
  /** Weight of the newest loss in the moving average: about the last 100 events count. */
  static final double EWMA_ALPHA = 0.01;
  /** Steps of output 0 after which a hidden unit counts as dead. */
  static final long DEAD_AFTER = 1000;

  private volatile double lossEwma = Double.NaN;
  private final double[] weights;
  private volatile double bias;
  private volatile long steps;
  /** A network's: the moving average of each layer's gradient norm. */
  private final double[] layerNormEwma;
  /** A network's: the step at which each hidden unit last gave a non-zero output. */
  private final long[] lastActive;
  private final Layers layers;

  /** @param layers the network's shape, or null for one neuron */
  ModelSeries(final int shownWeights, final Layers layers) {
    this.weights = new double[shownWeights];
    this.layers = layers;
    this.layerNormEwma = new double[layers == null ? 0 : layers.count()];
    java.util.Arrays.fill(layerNormEwma, Double.NaN);
    int hiddenUnits = 0;
    for (int l = 1; layers != null && l < layers.count(); l++) {
      hiddenUnits += layers.units(l);
    }
    this.lastActive = new long[hiddenUnits];
  }

  void update(final double loss, final StepResult step, final Model after) {
    lossEwma = ewma(lossEwma, loss);
    System.arraycopy(after.weights(), 0, weights, 0, weights.length);
    bias = after.bias();
    steps = after.count();
    if (layers != null) {
      final double[] norms = step.layerGradientNorms();
      for (int l = 0; l < layerNormEwma.length; l++) {
        layerNormEwma[l] = ewma(layerNormEwma[l], norms[l]);
      }
      // the hidden units' outputs follow the inputs' in the activations
      final double[] a = step.activations();
      final int from = layers.inputs();
      for (int u = 0; u < lastActive.length; u++) {
        if (a[from + u] != 0.0) {
          lastActive[u] = after.count();
        }
      }
    }
  }

  private static double ewma(final double previous, final double value) {
    return Double.isNaN(previous) ? value : previous + EWMA_ALPHA * (value - previous);
  }

  /** Moving average of layer l's (1..L) gradient norm. */
  double layerGradientNorm(final int l) {
    return layerNormEwma[l - 1];
  }

  /**
   * Units of hidden layer l whose output was 0 on each of the model's last {@link #DEAD_AFTER}
   * steps: a dead relu, which passes no gradient back and never learns again.
   */
  double deadUnits(final int l) {
    final long now = steps;
    if (now < DEAD_AFTER) {
      return 0;
    }
    int at = 0;
    for (int k = 1; k < l; k++) {
      at += layers.units(k);
    }
    int dead = 0;
    for (int u = at; u < at + layers.units(l); u++) {
      if (now - lastActive[u] >= DEAD_AFTER) {
        dead++;
      }
    }
    return dead;
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
