package io.gradstream.cli;

import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.EvaluationSpec;
import picocli.CommandLine.Option;

/** How each model is judged: its evaluation window and its drift detector. */
final class EvaluationOptions {
  @Option(names = "--eval-window", paramLabel = "W", defaultValue = "1000",
      description = "Each model's metrics over its last W samples too, beside those over all "
          + "of them (0: no window; default: ${DEFAULT-VALUE}).")
  int evalWindow;

  @Option(names = "--drift", paramLabel = "DETECTOR",
      description = "Watch each model's prequential loss for a drift: page-hinkley (the loss), "
          + "ddm (a classifier's errors) or none (default: none; the demo's with "
          + "--teacher-drift: page-hinkley).")
  String drift;

  @Option(names = "--on-drift", paramLabel = "ACTION",
      description = "What a drift does: keep (report it) or reset (the model's parameters back "
          + "to their start, its optimizer state fresh, its windows started again; its steps "
          + "and totals go on) (default: keep; the demo's with --teacher-drift: reset).")
  String onDrift;

  @Option(names = "--ph-delta", paramLabel = "δ",
      description = "Page-Hinkley: the rise of the mean loss it tolerates (default: 0.005; the "
          + "demo's with --teacher-drift: 0.0005).")
  Double phDelta;

  @Option(names = "--ph-threshold", paramLabel = "λ",
      description = "Page-Hinkley: a drift when the cumulative rise exceeds λ, in units of the "
          + "loss (default: 50, for losses near 1; the demo's with --teacher-drift: 0.5).")
  Double phThreshold;

  @Option(names = "--ph-alpha", paramLabel = "α", defaultValue = "0.9999",
      description = "Page-Hinkley: the forgetting factor of its cumulative sum (default: "
          + "${DEFAULT-VALUE}).")
  double phAlpha;

  @Option(names = "--ph-min-instances", paramLabel = "M", defaultValue = "30",
      description = "Page-Hinkley: no drift before M samples (default: ${DEFAULT-VALUE}).")
  long phMinInstances;

  @Option(names = "--ddm-min-instances", paramLabel = "M", defaultValue = "30",
      description = "DDM: no drift before M samples (default: ${DEFAULT-VALUE}).")
  long ddmMinInstances;

  @Option(names = "--ddm-drift-level", paramLabel = "K", defaultValue = "3",
      description = "DDM: a drift when p + s > pmin + K·smin (default: ${DEFAULT-VALUE}).")
  double ddmDriftLevel;

  /**
   * Detect with {@code detector}, Page-Hinkley's δ and λ, and act with {@code action}, unless the
   * user chose.
   */
  void unlessGiven(final String detector, final double delta, final double threshold,
      final String action) {
    if (drift == null) {
      drift = detector;
    }
    if (phDelta == null) {
      phDelta = delta;
    }
    if (phThreshold == null) {
      phThreshold = threshold;
    }
    if (onDrift == null) {
      onDrift = action;
    }
  }

  /**
   * @throws IllegalArgumentException when a setting is out of its range, or its detector cannot
   *     judge models of {@code kind}
   */
  EvaluationSpec toSpec(final EvaluationKind kind) {
    final String drift = this.drift == null ? DriftSettings.NONE : this.drift;
    final String onDrift = this.onDrift == null ? "keep" : this.onDrift;
    if (!"keep".equals(onDrift) && !"reset".equals(onDrift)) {
      throw new IllegalArgumentException("on drift must be keep or reset, got '" + onDrift
          + "'");
    }
    final DriftSettings defaults = DriftSettings.none();
    final DriftSettings settings = new DriftSettings(drift,
        phDelta == null ? defaults.phDelta() : phDelta,
        phThreshold == null ? defaults.phThreshold() : phThreshold, phAlpha, phMinInstances,
        ddmMinInstances, ddmDriftLevel, "reset".equals(onDrift));
    final String misfit = settings.misfit(kind);
    if (misfit != null) {
      throw new IllegalArgumentException(misfit);
    }
    return new EvaluationSpec(evalWindow, settings);
  }
}
