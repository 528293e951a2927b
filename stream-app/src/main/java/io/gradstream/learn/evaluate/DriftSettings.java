package io.gradstream.learn.evaluate;

/**
 * Which drift detector watches each model, with its parameters, and what a drift does.
 *
 * @param detector {@link #NONE}, {@link #PAGE_HINKLEY} or {@link #DDM}
 * @param phDelta Page-Hinkley's δ, the rise of the mean loss it tolerates
 * @param phThreshold Page-Hinkley's λ
 * @param phAlpha Page-Hinkley's forgetting factor α, in (0, 1]
 * @param phMinInstances Page-Hinkley's m: no drift before this many samples
 * @param ddmMinInstances DDM's m
 * @param ddmDriftLevel DDM's k: a drift at p + s > pmin + k·smin
 * @param reset whether a drift puts the model's parameters back to their start ({@code
 *     --on-drift reset}) or only reports it ({@code keep})
 */
public record DriftSettings(String detector, double phDelta, double phThreshold, double phAlpha,
    long phMinInstances, long ddmMinInstances, double ddmDriftLevel, boolean reset) {
  public static final String NONE = "none";
  public static final String PAGE_HINKLEY = "page-hinkley";
  public static final String DDM = "ddm";

  public DriftSettings {
    if (!NONE.equals(detector) && !PAGE_HINKLEY.equals(detector) && !DDM.equals(detector)) {
      throw new IllegalArgumentException("drift must be none, page-hinkley or ddm, got '" + detector
          + "'");
    }
    if (!(phDelta >= 0.0) || !Double.isFinite(phDelta)) {
      throw new IllegalArgumentException("ph delta must be a finite number ≥ 0, got "
          + phDelta);
    }
    if (!(phThreshold > 0.0) || !Double.isFinite(phThreshold)) {
      throw new IllegalArgumentException("ph threshold must be a finite number above 0, got "
          + phThreshold);
    }
    if (!(phAlpha > 0.0 && phAlpha <= 1.0)) {
      throw new IllegalArgumentException("ph alpha must be in (0, 1], got " + phAlpha);
    }
    if (phMinInstances < 1) {
      throw new IllegalArgumentException("ph min instances must be at least 1, got "
          + phMinInstances);
    }
    if (ddmMinInstances < 1) {
      throw new IllegalArgumentException("ddm min instances must be at least 1, got "
          + ddmMinInstances);
    }
    if (!(ddmDriftLevel > 0.0) || !Double.isFinite(ddmDriftLevel)) {
      throw new IllegalArgumentException("ddm drift level must be a finite number above 0, got "
          + ddmDriftLevel);
    }
  }

  /** No detector: the defaults of every parameter, none of them used. */
  public static DriftSettings none() {
    return of(NONE, false);
  }

  /** {@code detector} with the default parameters. */
  public static DriftSettings of(final String detector, final boolean reset) {
    return new DriftSettings(detector, 0.005, 50.0, 0.9999, 30, 30, 3.0, reset);
  }

  /**
   * Why {@code kind}'s models cannot have this detector, or null: DDM counts a classifier's
   * errors.
   */
  public String misfit(final EvaluationKind kind) {
    return DDM.equals(detector) && kind == EvaluationKind.REGRESSION
        ? "drift ddm counts a classifier's errors: it needs --loss logistic or cross-entropy"
        : null;
  }

  /** A detector in its initial state; null for none. */
  public DriftDetector newDetector() {
    return switch (detector) {
      case PAGE_HINKLEY -> new PageHinkley(phDelta, phThreshold, phAlpha, phMinInstances);
      case DDM -> new Ddm(ddmMinInstances, ddmDriftLevel);
      default -> null;
    };
  }
}
