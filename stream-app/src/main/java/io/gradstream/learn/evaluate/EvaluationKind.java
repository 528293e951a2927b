package io.gradstream.learn.evaluate;

import io.gradstream.learn.Loss;

/** Which metrics judge a model: those of a regression, or those of a binary classifier. */
public enum EvaluationKind {
  /** Squared and Huber losses: mae, rmse, r2. */
  REGRESSION,
  /** The logistic loss: logLoss, accuracy, brier and, over a window, auc. */
  BINARY;

  public static EvaluationKind of(final Loss loss) {
    return loss == Loss.LOGISTIC ? BINARY : REGRESSION;
  }

  /** The kind of the loss a model's stored settings name ({@code loss}; null: squared). */
  public static EvaluationKind ofLoss(final String id) {
    return "logistic".equals(id) ? BINARY : REGRESSION;
  }

  /** A prediction's class: y ≥ 0.5 (and a label's, d ≥ 0.5). */
  static boolean positive(final double value) {
    return value >= 0.5;
  }

  /** p clipped to [1e-15, 1 − 1e-15], as log loss reads it. */
  static double clipped(final double p) {
    return Math.min(Math.max(p, 1e-15), 1.0 - 1e-15);
  }

  /** The log loss of one sample: −(d·ln p + (1 − d)·ln(1 − p)), p clipped. */
  static double logLoss(final double y, final double d) {
    final double p = clipped(y);
    return -(d * Math.log(p) + (1.0 - d) * Math.log(1.0 - p));
  }
}
