package io.gradstream.learn;

/**
 * The output of K classes: p = softmax(z), p_k = e^(z_k) / Σ_j e^(z_j), and the cross-entropy of
 * class d, L = −ln p_d = ln Σ_j e^(z_j) − z_d, with its slope ∂L/∂z = p − onehot(d), the first
 * factor of the chain rule for a K-class output layer. Computed with the largest score
 * subtracted, so that scores of ±1000 neither overflow nor lose the loss (as torch's
 * cross_entropy). Allocates nothing.
 */
public final class Softmax {
  private Softmax() {}

  /**
   * Writes softmax(z) of the first {@code k} scores into {@code p}, and returns ln Σ e^(z_j)
   * (the log-sum-exp, from which the cross-entropy of any class follows).
   */
  public static double probabilities(final double[] z, final int k, final double[] p) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      max = Math.max(max, z[j]);
    }
    double sum = 0.0;
    for (int j = 0; j < k; j++) {
      p[j] = StrictMath.exp(z[j] - max);
      sum += p[j];
    }
    for (int j = 0; j < k; j++) {
      p[j] /= sum;
    }
    return max + StrictMath.log(sum);
  }

  /** −ln softmax(z)_d: {@code logSumExp} as {@link #probabilities} returned it, minus z_d. */
  public static double crossEntropy(final double[] z, final double logSumExp, final int d) {
    return logSumExp - z[d];
  }

  /** ∂L/∂z = p − onehot(d) of the first {@code k} classes into {@code slope}. */
  public static void slope(final double[] p, final int k, final int d, final double[] slope) {
    for (int j = 0; j < k; j++) {
      slope[j] = j == d ? p[j] - 1.0 : p[j];
    }
  }

  /** The class of the largest probability (the first of equals): the predicted label. */
  public static int argmax(final double[] p, final int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (p[j] > p[best]) {
        best = j;
      }
    }
    return best;
  }
}
