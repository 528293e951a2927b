package io.gradstream.learn.evaluate;

import java.util.Arrays;

/**
 * How good one model is: its prequential samples (ŷ before each step, against d), its served
 * samples (a served prediction against the label that came later), each over every sample and
 * over the last W, and the drift detector that reads the prequential ones. Kept with the model, so
 * that it is exactly once and equal in replay.
 */
public final class ModelEvaluation {
  /** How many drifts' steps are kept (the count goes on). */
  public static final int DRIFTS_KEPT = 64;
  private static final long[] NO_DRIFTS = {};

  private final EvaluationKind kind;
  private final Totals total;
  private final Totals servedTotal;
  private final SampleWindow window;
  private final SampleWindow servedWindow;
  private final DriftDetector detector;
  private long generation;
  private long driftCount;
  private long[] drifts = NO_DRIFTS;

  /**
   * @param window W; 0 for no window
   * @param detector null for none
   */
  ModelEvaluation(final EvaluationKind kind, final int window, final DriftDetector detector) {
    this.kind = kind;
    this.total = new Totals(kind);
    this.servedTotal = new Totals(kind);
    this.window = window == 0 ? null : new SampleWindow(window);
    this.servedWindow = window == 0 ? null : new SampleWindow(window);
    this.detector = detector;
  }

  private ModelEvaluation(final ModelEvaluation other) {
    this.kind = other.kind;
    this.total = other.total.copy();
    this.servedTotal = other.servedTotal.copy();
    this.window = other.window == null ? null : other.window.copy();
    this.servedWindow = other.servedWindow == null ? null : other.servedWindow.copy();
    this.detector = other.detector == null ? null : other.detector.copy();
    this.generation = other.generation;
    this.driftCount = other.driftCount;
    this.drifts = other.drifts.clone();
  }

  /**
   * A prequential sample: ŷ before the step of {@code step} (the model's step count after it),
   * with its loss. True when the detector signals a drift with it; then {@link #drifted} says
   * what is done.
   */
  public boolean judge(final double y, final double d, final double loss, final long step) {
    total.add(y, d);
    if (window != null) {
      window.add(y, d);
    }
    if (detector == null) {
      return false;
    }
    final double error = EvaluationKind.positive(y) == EvaluationKind.positive(d) ? 0.0 : 1.0;
    if (!detector.update(loss, error)) {
      return false;
    }
    driftCount++;
    if (drifts.length < DRIFTS_KEPT) {
      drifts = Arrays.copyOf(drifts, drifts.length + 1);
    } else {
      System.arraycopy(drifts, 1, drifts, 0, drifts.length - 1);
    }
    drifts[drifts.length - 1] = step;
    return true;
  }

  /** A served prediction ŷ, against the label d that came later. */
  public void served(final double y, final double d) {
    servedTotal.add(y, d);
    if (servedWindow != null) {
      servedWindow.add(y, d);
    }
  }

  /**
   * After a drift, with {@code --on-drift reset}: the model starts a new generation, its windows
   * start again (the totals go on).
   */
  public void reset() {
    generation++;
    if (window != null) {
      window.restart();
      servedWindow.restart();
    }
  }

  public EvaluationKind kind() {
    return kind;
  }

  /** The prequential metrics over every sample. */
  public Metrics total() {
    return total.metrics();
  }

  /** The prequential metrics over the window; null without one. */
  public Metrics window() {
    return window == null ? null : window.metrics(kind);
  }

  public Metrics servedTotal() {
    return servedTotal.metrics();
  }

  /** The served metrics over the window; null without one. */
  public Metrics servedWindow() {
    return servedWindow == null ? null : servedWindow.metrics(kind);
  }

  /** The detector (its state is the model's; read only), null for none. */
  public DriftDetector detector() {
    return detector;
  }

  /** How many times {@link #reset} started the model again. */
  public long generation() {
    return generation;
  }

  /** How many drifts were detected. */
  public long driftCount() {
    return driftCount;
  }

  /** The steps at which the last {@link #DRIFTS_KEPT} drifts were detected, oldest first. */
  public long[] drifts() {
    return drifts.clone();
  }

  public ModelEvaluation copy() {
    return new ModelEvaluation(this);
  }
}
