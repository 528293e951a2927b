package io.gradstream.learn.evaluate;

import io.gradstream.learn.StepResult;
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
  /** The prequential samples' stream, as {@link Segments} number it. */
  public static final int PREQUENTIAL = 0;
  /** The served samples' stream. */
  public static final int SERVED = 1;
  private static final long[] NO_DRIFTS = {};
  /** The object itself on the heap, in bytes: its header, seven references and two counts. */
  private static final int OBJECT_BYTES = 64;
  /** A {@link Totals}: its header, its kind, count and four sums. */
  private static final int TOTALS_BYTES = 56;
  /** A detector: its header and up to nine numbers (Page-Hinkley's; DDM holds fewer). */
  private static final int DETECTOR_BYTES = 88;

  private final EvaluationKind kind;
  private final Totals total;
  /**
   * The served samples' totals and window: null until the first served sample, since most models
   * of a stream that only trains never serve one and the model store keeps as many models live as
   * their heap allows. Absent, they are exactly fresh ones: served windows are numbered by the
   * served samples, so one without any has its next and first sample at 0.
   */
  private Totals servedTotal;
  private SampleWindow window;
  private SampleWindow servedWindow;
  private DriftDetector detector;
  /** The settings it was last made to follow; null when read from a store. */
  private EvaluationSpec spec;
  private long generation;
  private long driftCount;
  private long[] drifts = NO_DRIFTS;

  /**
   * @param window W; 0 for no window
   * @param detector null for none
   */
  ModelEvaluation(final EvaluationKind kind, final int window, final DriftDetector detector,
      final EvaluationSpec spec) {
    this.kind = kind;
    this.total = new Totals(kind);
    this.window = window == 0 ? null : new SampleWindow(window);
    this.detector = detector;
    this.spec = spec;
  }

  /**
   * An evaluation as a store kept it (see {@link #writeTotals}, {@link #writeWindows}), its full
   * window segments elsewhere ({@link #fill}).
   *
   * @param window W; 0 for none
   * @param windows the windows' numbers and heads as {@link #writeWindows} wrote them; null for
   *     windows that start again at the next sample (the totals' counts number them)
   * @param detector the detector, its state read; null for none
   * @param drifts the steps of the last drifts, oldest first
   */
  public static ModelEvaluation restore(final EvaluationKind kind, final int window,
      final double[] totals, final double[] windows, final DriftDetector detector,
      final long generation, final long driftCount, final long[] drifts) {
    final ModelEvaluation evaluation = new ModelEvaluation(kind, 0, detector, null);
    evaluation.total.read(totals, 0);
    final boolean served = totals[Totals.SIZE] > 0;
    if (served) {
      evaluation.servedTotal = new Totals(kind);
      evaluation.servedTotal.read(totals, Totals.SIZE);
    }
    if (window > 0 && windows == null) {
      evaluation.window = SampleWindow.startingAt(window, evaluation.total.count());
      evaluation.servedWindow = served ? SampleWindow.startingAt(window,
          evaluation.servedTotal.count()) : null;
    } else if (window > 0) {
      evaluation.window = SampleWindow.read(window, windows, 0);
      evaluation.servedWindow = served ? SampleWindow.read(window, windows,
          evaluation.window.stateSize()) : null;
    }
    evaluation.generation = generation;
    evaluation.driftCount = driftCount;
    evaluation.drifts = drifts.length > DRIFTS_KEPT
        ? Arrays.copyOfRange(drifts, drifts.length - DRIFTS_KEPT, drifts.length) : drifts.clone();
    return evaluation;
  }

  /**
   * Makes this evaluation follow {@code spec} (once per spec; a no-op after): a window of
   * another W starts again, its samples numbered on; a detector of another kind starts from its
   * initial state, one of the same kind keeps its state under the new parameters.
   */
  public void follow(final EvaluationSpec spec) {
    if (this.spec == spec) {
      return;
    }
    this.spec = spec;
    final int size = spec.window();
    if (size == 0) {
      window = null;
      servedWindow = null;
    } else if (window == null || window.size() != size) {
      window = SampleWindow.startingAt(size, window == null ? total.count() : window.next());
      servedWindow = servedTotal == null ? null : SampleWindow.startingAt(size,
          servedWindow == null ? servedTotal.count() : servedWindow.next());
    }
    final DriftDetector wanted = spec.drift().newDetector();
    if (wanted != null && detector != null && wanted.id().equals(detector.id())) {
      final double[] state = new double[DriftDetector.STATE];
      detector.write(state, 0);
      wanted.read(state, 0);
    }
    detector = wanted;
  }

  /** W; 0 without a window. */
  public int windowSize() {
    return window == null ? 0 : window.size();
  }

  /** Both totals' state, prequential then served: 2 × {@link Totals#SIZE} doubles. */
  public double[] writeTotals() {
    final double[] totals = new double[2 * Totals.SIZE]; // no served samples: a fresh one's zeros
    total.write(totals, 0);
    if (servedTotal != null) {
      servedTotal.write(totals, Totals.SIZE);
    }
    return totals;
  }

  /** Both windows' numbers and heads, prequential then served; empty without a window. */
  public double[] writeWindows() {
    if (window == null) {
      return new double[0];
    }
    // no served samples: a fresh window's two numbers, both 0
    final double[] state = new double[window.stateSize()
        + (servedWindow == null ? 2 : servedWindow.stateSize())];
    window.write(state, 0);
    if (servedWindow != null) {
      servedWindow.write(state, window.stateSize());
    }
    return state;
  }

  /**
   * About how many bytes of heap it holds (a 64-bit JVM with compressed references): itself, its
   * totals, its windows as they are now (see {@link SampleWindow}), its detector and drifts.
   */
  public int heapBytes() {
    return OBJECT_BYTES + (servedTotal == null ? 1 : 2) * TOTALS_BYTES
        + (window == null ? 0 : window.heapBytes())
        + (servedWindow == null ? 0 : servedWindow.heapBytes())
        + (detector == null ? 0 : DETECTOR_BYTES)
        + (drifts.length == 0 ? 0 : SampleWindow.ARRAY_HEADER + 8 * drifts.length);
  }

  /** How many segment slots each window has; 0 without a window. */
  public int windowSlots() {
    return window == null ? 0 : window.slotCount();
  }

  /** Hands the full segments its windows hold to {@code sink}, and stops holding them. */
  public void release(final Segments.Sink sink) {
    if (window != null) {
      window.release(PREQUENTIAL, sink);
    }
    if (servedWindow != null) {
      servedWindow.release(SERVED, sink);
    }
  }

  /**
   * Reads from {@code source} the full segments its windows need and do not hold; false when
   * one is missing or of another number (then its window metrics are null).
   */
  public boolean fill(final Segments source) {
    return window == null || window.fill(PREQUENTIAL, source)
        & (servedWindow == null || servedWindow.fill(SERVED, source));
  }

  private ModelEvaluation(final ModelEvaluation other) {
    this.kind = other.kind;
    this.total = other.total.copy();
    this.servedTotal = other.servedTotal == null ? null : other.servedTotal.copy();
    this.window = other.window == null ? null : other.window.copy();
    this.servedWindow = other.servedWindow == null ? null : other.servedWindow.copy();
    this.detector = other.detector == null ? null : other.detector.copy();
    this.spec = other.spec;
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
    final double error = kind.wrong(y, d) ? 1.0 : 0.0;
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

  /**
   * A trained step's samples, in the one order every caller keeps: the served prediction
   * {@code servedY} (NaN when no prediction was joined) against d, then the step's ŷ before it;
   * true when the detector signals a drift. A multi-class model's served predictions are not
   * judged: a prediction keeps the probability of its predicted class only.
   */
  public boolean learned(final double servedY, final StepResult step, final double d,
      final long count) {
    if (!Double.isNaN(servedY) && kind != EvaluationKind.MULTICLASS) {
      served(servedY, d);
    }
    return judge(step.y(), kind.sampleLabel(step, d), step.loss(), count);
  }

  /** A served prediction ŷ, against the label d that came later. */
  public void served(final double y, final double d) {
    if (servedTotal == null) {
      servedTotal = new Totals(kind);
      servedWindow = window == null ? null : new SampleWindow(window.size());
    }
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
    }
    if (servedWindow != null) {
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

  /**
   * The prequential metrics over the window; null without one, or when it does not hold every
   * segment (read from a store without {@link #fill}).
   */
  public Metrics window() {
    return window == null ? null : window.metrics(kind);
  }

  public Metrics servedTotal() {
    return (servedTotal == null ? new Totals(kind) : servedTotal).metrics();
  }

  /** The served metrics over the window; null without one. */
  public Metrics servedWindow() {
    return window == null ? null
        : (servedWindow == null ? new SampleWindow(window.size()) : servedWindow).metrics(kind);
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
