package io.gradstream.learn.evaluate;

import io.gradstream.learn.Loss;
import io.gradstream.learn.StepResult;

/**
 * Which metrics judge a model: those of a regression, of a binary classifier, or of a classifier
 * of K classes.
 */
public enum EvaluationKind {
  /** Squared and Huber losses: mae, rmse, r2. */
  REGRESSION,
  /** The logistic loss: logLoss, accuracy, brier and, over a window, auc. */
  BINARY,
  /**
   * The cross-entropy of K classes: logLoss (−ln of the label's probability) and accuracy (the
   * share whose most probable class is the label). A sample is the label's probability p_d as ŷ
   * and, as d, 1 when the predicted class was the label, else 0.
   */
  MULTICLASS;

  public static EvaluationKind of(final Loss loss) {
    return loss == Loss.LOGISTIC ? BINARY : loss.classes() != null ? MULTICLASS : REGRESSION;
  }

  /** The kind of the loss a model's stored settings name ({@code loss}; null: squared). */
  public static EvaluationKind ofLoss(final String id) {
    return "logistic".equals(id) ? BINARY : "cross-entropy".equals(id) ? MULTICLASS
        : REGRESSION;
  }

  /** The sample's d of a step with label {@code d}: d itself, or for K classes 1 if right. */
  public double sampleLabel(final StepResult step, final double d) {
    if (this != MULTICLASS) {
      return d;
    }
    return step.label() == (int) d ? 1.0 : 0.0;
  }

  /** Whether a sample (ŷ, d) of this kind is an error of a classifier. */
  boolean wrong(final double y, final double d) {
    return this == MULTICLASS ? d == 0.0 : positive(y) != positive(d);
  }

  /** A prediction's class: y ≥ 0.5 (and a label's, d ≥ 0.5). */
  static boolean positive(final double value) {
    return value >= 0.5;
  }

  /** p clipped to [1e-15, 1 − 1e-15], as log loss reads it. */
  static double clipped(final double p) {
    return Math.min(Math.max(p, 1e-15), 1.0 - 1e-15);
  }

  /** The log loss of one sample of K classes: −ln p_d, the label's probability p_d clipped. */
  static double logLoss(final double labelProbability) {
    return -Math.log(clipped(labelProbability));
  }

  /** The log loss of one sample: −(d·ln p + (1 − d)·ln(1 − p)), p clipped. */
  static double logLoss(final double y, final double d) {
    final double p = clipped(y);
    return -(d * Math.log(p) + (1.0 - d) * Math.log(1.0 - p));
  }
}
