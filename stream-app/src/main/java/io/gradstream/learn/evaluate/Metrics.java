package io.gradstream.learn.evaluate;

/**
 * A model's metrics over some samples; a metric that does not apply to its kind, or is undefined
 * on these samples (no samples; r2 when every label is the same; auc with one class), is NaN.
 *
 * @param count how many samples
 * @param mae mean |d − ŷ|
 * @param rmse √(mean (d − ŷ)²)
 * @param r2 1 − SS_res/SS_tot, SS_tot about the mean of the same samples' d
 * @param logLoss mean −(d·ln p + (1 − d)·ln(1 − p)), p = ŷ clipped to [1e-15, 1 − 1e-15]; of K
 *     classes mean −ln p_d, p_d the label's probability clipped so
 * @param accuracy the share with (ŷ ≥ 0.5) = (d ≥ 0.5); of K classes, whose most probable class
 *     is the label
 * @param brier mean (ŷ − d)²
 * @param auc the area under the ROC curve of ŷ against d ≥ 0.5, ties counted half
 */
public record Metrics(EvaluationKind kind, long count, double mae, double rmse, double r2,
    double logLoss, double accuracy, double brier, double auc) {

  static Metrics regression(final long count, final double mae, final double rmse,
      final double r2) {
    return new Metrics(EvaluationKind.REGRESSION, count, mae, rmse, r2, Double.NaN, Double.NaN,
        Double.NaN, Double.NaN);
  }

  static Metrics binary(final long count, final double logLoss, final double accuracy,
      final double brier, final double auc) {
    return new Metrics(EvaluationKind.BINARY, count, Double.NaN, Double.NaN, Double.NaN, logLoss,
        accuracy, brier, auc);
  }

  static Metrics multiclass(final long count, final double logLoss, final double accuracy) {
    return new Metrics(EvaluationKind.MULTICLASS, count, Double.NaN, Double.NaN, Double.NaN,
        logLoss, accuracy, Double.NaN, Double.NaN);
  }

  /** The metric named {@code name} (as in the JSON: mae, rmse, r2, logLoss, ...), NaN if none. */
  public double value(final String name) {
    return switch (name) {
      case "mae" -> mae;
      case "rmse" -> rmse;
      case "r2" -> r2;
      case "logLoss" -> logLoss;
      case "accuracy" -> accuracy;
      case "brier" -> brier;
      case "auc" -> auc;
      default -> throw new IllegalArgumentException("no metric " + name);
    };
  }

  /** The names of the metrics of {@code kind}, in the order they are shown. */
  public static String[] names(final EvaluationKind kind, final boolean window) {
    if (kind == EvaluationKind.REGRESSION) {
      return new String[] {"mae", "rmse", "r2"};
    }
    if (kind == EvaluationKind.MULTICLASS) {
      return new String[] {"logLoss", "accuracy"};
    }
    return window ? new String[] {"logLoss", "accuracy", "brier", "auc"}
        : new String[] {"logLoss", "accuracy", "brier"};
  }
}
