package io.gradstream.learn.evaluate;

import java.util.Arrays;

/**
 * Metrics of the samples in a window, computed when they are read (not at every event): two
 * passes over y and d, and for a classifier's auc a sort of each class's scores.
 */
final class WindowMetrics {
  private WindowMetrics() {
  }

  /** The metrics of the first {@code n} samples (ŷ = y[i], d = d[i]). */
  static Metrics of(final EvaluationKind kind, final double[] y, final double[] d, final int n) {
    return switch (kind) {
      case REGRESSION -> regression(y, d, n);
      case BINARY -> binary(y, d, n);
      case MULTICLASS -> multiclass(y, d, n);
    };
  }

  /** ŷ the label's probability, d 1 when the predicted class was right. */
  private static Metrics multiclass(final double[] y, final double[] d, final int n) {
    if (n == 0) {
      return Metrics.multiclass(0, Double.NaN, Double.NaN);
    }
    double logLoss = 0.0;
    double right = 0.0;
    for (int i = 0; i < n; i++) {
      logLoss += EvaluationKind.logLoss(y[i]);
      right += d[i];
    }
    return Metrics.multiclass(n, logLoss / n, right / n);
  }

  private static Metrics regression(final double[] y, final double[] d, final int n) {
    if (n == 0) {
      return Metrics.regression(0, Double.NaN, Double.NaN, Double.NaN);
    }
    double absolute = 0.0;
    double squared = 0.0;
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
      final double e = d[i] - y[i];
      absolute += Math.abs(e);
      squared += e * e;
      sum += d[i];
    }
    final double mean = sum / n;
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      total += (d[i] - mean) * (d[i] - mean);
    }
    return Metrics.regression(n, absolute / n, Math.sqrt(squared / n),
        total == 0.0 ? Double.NaN : 1.0 - squared / total);
  }

  private static Metrics binary(final double[] y, final double[] d, final int n) {
    if (n == 0) {
      return Metrics.binary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double logLoss = 0.0;
    long right = 0;
    double brier = 0.0;
    int positives = 0;
    for (int i = 0; i < n; i++) {
      logLoss += EvaluationKind.logLoss(y[i], d[i]);
      if (EvaluationKind.positive(y[i]) == EvaluationKind.positive(d[i])) {
        right++;
      }
      brier += (y[i] - d[i]) * (y[i] - d[i]);
      if (EvaluationKind.positive(d[i])) {
        positives++;
      }
    }
    return Metrics.binary(n, logLoss / n, (double) right / n, brier / n,
        auc(y, d, n, positives));
  }

  /**
   * The probability that a positive's score is above a negative's, a tie counting half (the
   * Mann-Whitney U over P·N, which is the area under the ROC curve as sklearn draws it); NaN
   * without both classes. Counted in halves as a long, so the only rounding is the division.
   */
  static double auc(final double[] y, final double[] d, final int n, final int positives) {
    final int negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    final double[] pos = new double[positives];
    final double[] neg = new double[negatives];
    int p = 0;
    int q = 0;
    for (int i = 0; i < n; i++) {
      if (EvaluationKind.positive(d[i])) {
        pos[p++] = y[i];
      } else {
        neg[q++] = y[i];
      }
    }
    Arrays.sort(pos);
    Arrays.sort(neg);
    long halves = 0;
    int below = 0;
    int upTo = 0;
    for (final double score : pos) {
      while (below < negatives && neg[below] < score) {
        below++;
      }
      upTo = Math.max(upTo, below);
      while (upTo < negatives && neg[upTo] == score) {
        upTo++;
      }
      halves += 2L * below + (upTo - below);
    }
    return halves / (2.0 * positives * negatives);
  }
}
