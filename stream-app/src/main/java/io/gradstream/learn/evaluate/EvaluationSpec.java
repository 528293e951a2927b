package io.gradstream.learn.evaluate;

/**
 * How every model is judged: the size of its windows and its drift detector. Whether a model is
 * evaluated at all is decided by the caller; with W = 0 only the totals are kept.
 *
 * @param window W, the samples each window holds ({@code --eval-window}); 0 for no window
 * @param drift the drift detector and what a drift does
 */
public record EvaluationSpec(int window, DriftSettings drift) {
  /** The most samples a window may hold: beyond it a stored model would not fit in a record. */
  public static final int MAX_WINDOW = 100_000;

  public EvaluationSpec {
    if (window < 0 || window > MAX_WINDOW) {
      throw new IllegalArgumentException("eval window must be between 0 (no window) and "
          + MAX_WINDOW + ", got " + window);
    }
    if (drift == null) {
      throw new IllegalArgumentException("drift settings are required");
    }
  }

  /** W = 1000 and no drift detector. */
  public static EvaluationSpec defaults() {
    return new EvaluationSpec(1000, DriftSettings.none());
  }

  /** A model's evaluation before its first sample. */
  public ModelEvaluation fresh(final EvaluationKind kind) {
    return new ModelEvaluation(kind, window, drift.newDetector(), this);
  }
}
