package io.gradstream.metrics;

import io.gradstream.learn.Layers;
import io.gradstream.learn.Model;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.race.KeyRace;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The latest numbers of one tracked model, written by the stream thread that owns the model and
 * read by the Prometheus scrape and the live page. Volatile fields: a reader sees a recent value,
 * never a torn one. A neuron with exactly two parameters (two weights, or one and a bias) also
 * keeps its last {@link #RECENT} steps: the parameters after each and the event it learned from,
 * which the page draws as a path on the loss surface of those events. A model of K classes keeps
 * its last {@link #RECENT_CLASSES} steps' label, predicted class and class probabilities. A raced
 * key's series follows its champion, and also keeps each variant's weighted loss and, with two
 * parameters, each variant's path beside the champion's.
 */
public final class ModelSeries {
  /** Steps whose parameters and events a two-parameter model keeps. */
  public static final int RECENT = 2048;
  /** Steps whose class probabilities a model of K classes keeps. */
  public static final int RECENT_CLASSES = 20;
  /** Weight of the newest loss in the moving average: about the last 100 events count. */
  static final double EWMA_ALPHA = 0.01;
  /** Steps of output 0 after which a hidden unit counts as dead. */
  static final long DEAD_AFTER = 1000;

  private volatile double lossEwma = Double.NaN;
  private final double[] weights;
  private final boolean hasBias;
  private volatile double bias;
  private volatile long steps;
  /** A network's: the moving average of each layer's gradient norm. */
  private final double[] layerNormEwma;
  /** A network's: the step at which each hidden unit last gave a non-zero output. */
  private final long[] lastActive;
  private final Layers layers;
  /**
   * Two-parameter models': per recent step, (p1, p2) after it, and its event's x (1 or 2) and d.
   */
  private final double[] path;
  private final double[] events;
  private final int eventWidth;
  /** Steps written into the rings; a reader copies the entries below it. */
  private volatile long recorded;
  /**
   * A model of K classes': per recent step, its label d, the class it predicted before the step,
   * then the K probabilities; empty otherwise.
   */
  private final double[] classRows;
  private final int classWidth;
  private volatile long classesRecorded;
  /** A raced key's: each variant's weighted loss (the race's own), empty until it is raced. */
  private volatile double[] variantLoss = new double[0];
  /** A raced key's champion's index, -1 until it is raced. */
  private volatile int champion = -1;
  /** A raced two-parameter key's: per variant, (p1, p2) after each recent step. */
  private volatile double[] variantPath = new double[0];

  /**
   * @param layers the network's shape, or null for one neuron
   * @param twoParameters whether to keep the recent steps (see {@link #RECENT})
   */
  ModelSeries(final int shownWeights, final boolean hasBias, final Layers layers,
      final boolean twoParameters) {
    this.weights = new double[shownWeights];
    this.hasBias = hasBias;
    this.path = new double[twoParameters ? 2 * RECENT : 0];
    this.eventWidth = shownWeights + 1;
    this.events = new double[twoParameters ? eventWidth * RECENT : 0];
    this.layers = layers;
    this.layerNormEwma = new double[layers == null ? 0 : layers.count()];
    Arrays.fill(layerNormEwma, Double.NaN);
    int hiddenUnits = 0;
    for (int l = 1; layers != null && l < layers.count(); l++) {
      hiddenUnits += layers.units(l);
    }
    this.lastActive = new long[hiddenUnits];
    final int classes = layers != null && layers.outputs() > 1 ? layers.outputs() : 0;
    this.classWidth = classes + 2;
    this.classRows = new double[classes == 0 ? 0 : classWidth * RECENT_CLASSES];
  }

  /**
   * A raced key's event, before the champion's {@link #update}: each variant's weighted loss, the
   * champion, and each variant's parameters in the row the update then writes.
   */
  void raced(final KeyRace race, final IntFunction<Model> variant) {
    final int variants = race.variants();
    double[] losses = variantLoss;
    if (losses.length != variants) {
      losses = new double[variants];
      final double[] paths = new double[path.length == 0 ? 0 : 2 * RECENT * variants];
      // rows before the key's race was first seen hold no variant's point
      Arrays.fill(paths, Double.NaN);
      variantPath = paths;
    }
    for (int v = 0; v < variants; v++) {
      losses[v] = race.lossEwma(v);
    }
    if (path.length > 0) {
      final double[] paths = variantPath;
      final int at = (int) (recorded % RECENT);
      for (int v = 0; v < variants; v++) {
        final Model model = variant.apply(v);
        final int row = 2 * (v * RECENT + at);
        paths[row] = model == null ? Double.NaN : model.weights()[0];
        paths[row + 1] = model == null ? Double.NaN
            : model.weights().length > 1 ? model.weights()[1] : model.bias();
      }
    }
    variantLoss = losses;
    champion = race.serving();
  }

  /** A raced key's variants' weighted losses (the race's own); empty for a key not raced. */
  public double[] variantLosses() {
    return variantLoss.clone();
  }

  /** A raced key's champion's index; -1 for a key not raced. */
  public int champion() {
    return champion;
  }

  void update(final double loss, final StepResult step, final Model after, final double[] x,
      final double d) {
    if (path.length > 0) {
      final int at = (int) (recorded % RECENT);
      final double[] w = after.weights();
      path[2 * at] = w[0];
      path[2 * at + 1] = w.length > 1 ? w[1] : after.bias();
      System.arraycopy(x, 0, events, eventWidth * at, eventWidth - 1);
      events[eventWidth * at + eventWidth - 1] = d;
      recorded = recorded + 1;
    }
    if (classRows.length > 0) {
      final int at = classWidth * (int) (classesRecorded % RECENT_CLASSES);
      classRows[at] = d;
      classRows[at + 1] = step.label();
      System.arraycopy(step.probabilities(), 0, classRows, at + 2, classWidth - 2);
      classesRecorded = classesRecorded + 1;
    }
    lossEwma = ewma(lossEwma, loss);
    System.arraycopy(after.weights(), 0, weights, 0, weights.length);
    bias = after.bias();
    steps = after.count();
    if (layers != null) {
      final double[] norms = step.layerGradientNorms();
      for (int l = 0; l < layerNormEwma.length; l++) {
        layerNormEwma[l] = ewma(layerNormEwma[l], norms[l]);
      }
      // the hidden units' outputs follow the inputs' in the activations
      final double[] a = step.activations();
      final int from = step.hiddenUnitsFrom();
      for (int u = 0; u < lastActive.length; u++) {
        if (a[from + u] != 0.0) {
          lastActive[u] = after.count();
        }
      }
    }
  }

  private static double ewma(final double previous, final double value) {
    return Double.isNaN(previous) ? value : previous + EWMA_ALPHA * (value - previous);
  }

  /** A network's shape; null for one neuron. */
  public Layers layers() {
    return layers;
  }

  /** Moving average of layer l's (1..L) gradient norm. */
  public double layerGradientNorm(final int l) {
    return layerNormEwma[l - 1];
  }

  /**
   * Units of hidden layer l whose output was 0 on each of the model's last {@link #DEAD_AFTER}
   * steps: a dead relu, which passes no gradient back and never learns again.
   */
  double deadUnits(final int l) {
    final long now = steps;
    if (now < DEAD_AFTER) {
      return 0;
    }
    int at = 0;
    for (int k = 1; k < l; k++) {
      at += layers.units(k);
    }
    int dead = 0;
    for (int u = at; u < at + layers.units(l); u++) {
      if (now - lastActive[u] >= DEAD_AFTER) {
        dead++;
      }
    }
    return dead;
  }

  /** Moving average of the loss (about the last 100 events). */
  public double lossEwma() {
    return lossEwma;
  }

  /** Weights shown (the first {@link ModelMeters#MAX_WEIGHTS}); none for a network. */
  public int shownWeights() {
    return weights.length;
  }

  public double weight(final int i) {
    return weights[i];
  }

  public boolean hasBias() {
    return hasBias;
  }

  public double bias() {
    return bias;
  }

  public double steps() {
    return steps;
  }

  /** Whether the recent steps are kept: a neuron with exactly two parameters. */
  public boolean twoParameters() {
    return path.length > 0;
  }

  /**
   * The recent steps, oldest first: rows of (p1, p2) after each step, and rows of its event (x...,
   * d). Read while the stream thread writes, the oldest row may already belong to a newer step: a
   * picture, not a record.
   */
  public Recent recent() {
    final long end = recorded;
    final int count = (int) Math.min(end, RECENT - 1);
    final double[][] params = new double[count][];
    final double[][] seen = new double[count][];
    final double[] paths = variantPath;
    final int variants = paths.length / (2 * RECENT);
    final double[][][] ofVariants = new double[variants][count][];
    for (int i = 0; i < count; i++) {
      final int at = (int) ((end - count + i) % RECENT);
      params[i] = new double[] {path[2 * at], path[2 * at + 1]};
      seen[i] = Arrays.copyOfRange(events, eventWidth * at, eventWidth * (at + 1));
      for (int v = 0; v < variants; v++) {
        final int row = 2 * (v * RECENT + at);
        ofVariants[v][i] = new double[] {paths[row], paths[row + 1]};
      }
    }
    return new Recent(params, seen, ofVariants);
  }

  /**
   * A model of K classes' recent steps, oldest first: rows of (d, the predicted class, then the K
   * probabilities before the step); none for another model. A picture, as {@link #recent()}.
   */
  public double[][] recentClasses() {
    final long end = classesRecorded;
    final int count = (int) Math.min(end, RECENT_CLASSES - 1);
    final double[][] rows = new double[count][];
    for (int i = 0; i < count; i++) {
      final int at = classWidth * (int) ((end - count + i) % RECENT_CLASSES);
      rows[i] = Arrays.copyOfRange(classRows, at, at + classWidth);
    }
    return rows;
  }

  /**
   * See {@link #recent()}; {@code variantPaths[v]} is a raced key's variant v's path, row for row
   * with {@code path} (none for a key not raced).
   */
  public record Recent(double[][] path, double[][] events, double[][][] variantPaths) {}
}
