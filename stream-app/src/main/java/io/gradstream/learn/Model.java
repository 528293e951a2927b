package io.gradstream.learn;

import io.gradstream.learn.evaluate.ModelEvaluation;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.features.StandardScaler;
import io.gradstream.learn.race.RaceStanding;

/**
 * One model's mutable state: weights, bias, how many events it has learned from, the sum of their
 * prequential losses, and its optimizer's state. Mutated in place by its {@link Learner} so a step
 * allocates nothing. A network keeps all its parameters in {@link #weights()}, in the order of its
 * {@link #layers()}, and has no bias of its own (each layer's biases are among them). A hashed
 * model keeps the weights of the coordinates it has touched in {@link #sparse()}, their optimizer
 * state beside them, and in {@link #optimizerState()} only the optimizer's step count and the
 * bias's state. A model with {@code --scale standard} keeps its {@link #scaler()}, and a judged
 * model its {@link #evaluation()}.
 */
public final class Model {
  private static final double[] NO_STATE = {};

  private final double[] weights;
  private final double[] optimizerState;
  private final boolean hasBias;
  private final Layers layers;
  private final int hashBits;
  private final SparseWeights sparse;
  private final StandardScaler scaler;
  /** A hashed network's first-layer columns; null otherwise. */
  private SparseColumns columns;
  /** How good it is, when it is judged; null otherwise. */
  private ModelEvaluation evaluation;
  /** As a query reads a raced key: its race, this model the serving variant's; null otherwise. */
  private RaceStanding race;
  private double bias;
  private long count;
  private double lossSum;

  public Model(final double[] weights, final boolean hasBias, final double bias, final long count,
      final double lossSum) {
    this(weights, hasBias, bias, count, lossSum, NO_STATE);
  }

  /**
   * @param optimizerState the optimizer's step count, then its slots parameter by parameter (the
   *     weights in order, then the bias); empty for plain SGD
   */
  public Model(final double[] weights, final boolean hasBias, final double bias, final long count,
      final double lossSum, final double[] optimizerState) {
    this(null, weights, hasBias, bias, count, lossSum, optimizerState, 0, null, null);
  }

  /**
   * A hashed model over 2^{@code bits} coordinates.
   *
   * @param headState the optimizer's step count, then the bias's slots; empty for plain SGD
   */
  public static Model hashed(final int bits, final SparseWeights weights, final boolean hasBias,
      final double bias, final long count, final double lossSum, final double[] headState) {
    return new Model(null, NO_STATE, hasBias, bias, count, lossSum, headState, bits, weights,
        null);
  }

  /**
   * A network over hashed inputs: {@code columns} its first layer's touched columns, {@code
   * parameters} the first layer's biases and then every later layer's parameters (in the order
   * of {@link Layers}).
   */
  public static Model hashedNetwork(final int bits, final Layers layers,
      final SparseColumns columns, final double[] parameters, final long count,
      final double lossSum, final double[] optimizerState) {
    return withColumns(new Model(layers, parameters, false, 0.0, count, lossSum,
        optimizerState, bits, null, null), columns);
  }

  /** A hashed network's first-layer columns (not a copy); null for any other model. */
  public SparseColumns columns() {
    return columns;
  }

  /** A network of {@code layers} with these parameters (in the order of {@link Layers}). */
  public static Model network(final Layers layers, final double[] parameters, final long count,
      final double lossSum, final double[] optimizerState) {
    if (parameters.length != layers.parameters()) {
      throw new IllegalArgumentException("a network " + layers + " has " + layers.parameters()
          + " parameters, got " + parameters.length);
    }
    return new Model(layers, parameters, false, 0.0, count, lossSum, optimizerState, 0, null,
        null);
  }

  private Model(final Layers layers, final double[] weights, final boolean hasBias,
      final double bias, final long count, final double lossSum, final double[] optimizerState,
      final int hashBits, final SparseWeights sparse, final StandardScaler scaler) {
    this.layers = layers;
    this.scaler = scaler;
    this.hashBits = hashBits;
    this.sparse = sparse;
    this.weights = weights;
    this.optimizerState = optimizerState;
    this.hasBias = hasBias;
    this.bias = hasBias ? bias : 0.0;
    this.count = count;
    this.lossSum = lossSum;
  }

  /** A model that has seen nothing yet, at the spec's starting point. */
  public static Model initial(final ModelSpec spec) {
    final Layers shape = spec.layers();
    final Model model;
    if (shape != null && spec.hashBits() > 0) {
      model = HashedNetwork.initial(spec);
    } else if (shape != null) {
      // one layer of K classes starts at zeros, as one neuron does; hidden layers cannot
      model = network(shape, spec.hidden().none() ? new double[shape.parameters()]
          : spec.hidden().initialParameters(shape), 0L, 0.0, freshState(spec));
    } else if (spec.hashBits() > 0) {
      model = hashed(spec.hashBits(), new SparseWeights(spec.optimizer().kind().slots()),
          spec.bias(), 0.0, 0L, 0.0, freshState(spec));
    } else {
      model = new Model(spec.initWeights(), spec.bias(), spec.initBias(), 0L, 0.0,
          freshState(spec));
    }
    return model.withScaler(freshScaler(spec));
  }

  /** The scaler {@code spec} starts a model with: one that has seen nothing, or none. */
  public static StandardScaler freshScaler(final ModelSpec spec) {
    if (spec.scaling() == FeatureScaling.NONE) {
      return null;
    }
    return spec.hashBits() > 0 ? StandardScaler.named() : StandardScaler.dense(spec.features());
  }

  /** The optimizer state {@code spec}'s optimizer starts a model with: zeros, or none. */
  static double[] freshState(final ModelSpec spec) {
    final int size = spec.optimizerStateSize();
    return size == 0 ? NO_STATE : new double[size];
  }

  /** A model of its own with the same values: stepping one leaves the other as it was. */
  public Model copy() {
    return carrying(new Model(layers, weights.clone(), hasBias, bias, count, lossSum,
        optimizerState.clone(), hashBits, sparse == null ? null : sparse.copy(),
        scaler == null ? null : scaler.copy()), columns == null ? null : columns.copy(),
        evaluation == null ? null : evaluation.copy());
  }

  /** Its weights, bias, steps and loss, with {@code state} as its optimizer state. */
  public Model withOptimizerState(final double[] state) {
    return carrying(new Model(layers, weights, hasBias, bias, count, lossSum, state.clone(),
        hashBits, sparse, scaler), columns, evaluation);
  }

  /** Its weights, bias, steps, loss and optimizer state, with {@code scaler} (null: none). */
  public Model withScaler(final StandardScaler scaler) {
    return carrying(new Model(layers, weights, hasBias, bias, count, lossSum, optimizerState,
        hashBits, sparse, scaler), columns, evaluation);
  }

  /**
   * This model, judged from now on by {@code evaluation} if it is not judged yet (a model stored
   * before models were judged, or made without it).
   */
  public Model judgedBy(final ModelEvaluation evaluation) {
    if (this.evaluation == null) {
      this.evaluation = evaluation;
    }
    return this;
  }

  /**
   * {@code fresh}'s parameters and optimizer state (a model at its start), with this model's
   * steps, loss, scaler and evaluation: what a reset after a drift leaves.
   */
  public Model restartedAs(final Model fresh) {
    return carrying(new Model(fresh.layers, fresh.weights, fresh.hasBias, fresh.bias, count,
        lossSum, fresh.optimizerState, fresh.hashBits, fresh.sparse, scaler), fresh.columns,
        evaluation);
  }

  private static Model carrying(final Model model, final SparseColumns columns,
      final ModelEvaluation evaluation) {
    model.columns = columns;
    model.evaluation = evaluation;
    return model;
  }

  private static Model withColumns(final Model model, final SparseColumns columns) {
    model.columns = columns;
    return model;
  }

  /** Its weights, bias, steps and loss, with the fresh optimizer state of {@code spec}. */
  public Model withFreshState(final ModelSpec spec) {
    final int slots = spec.optimizer().kind().slots();
    return carrying(new Model(layers, weights, hasBias, bias, count, lossSum,
        freshState(spec), hashBits, sparse == null ? null : sparse.withFreshState(slots), scaler),
        columns == null ? null : columns.withFreshState(slots), evaluation);
  }

  /** This model as the serving variant of {@code standing}, for a query; returns it. */
  public Model inRace(final RaceStanding standing) {
    this.race = standing;
    return this;
  }

  /** The race this model serves, as a query read it; null for a key with one model. */
  public RaceStanding race() {
    return race;
  }

  /** How good it is (not a copy: the step adds to it); null when it is not judged. */
  public ModelEvaluation evaluation() {
    return evaluation;
  }

  /** B of a hashed model, whose input has 2^B coordinates; 0 for a dense one. */
  public int hashBits() {
    return hashBits;
  }

  /** A hashed model's weights (not a copy): callers read, only the learner writes; else null. */
  public SparseWeights sparse() {
    return sparse;
  }

  /**
   * Its scaler (not a copy: the step commits to it), null when it scales nothing; its input is
   * what the learner is given, already scaled.
   */
  public StandardScaler scaler() {
    return scaler;
  }

  /** The network's shape; null for one neuron. */
  public Layers layers() {
    return layers;
  }

  /** The optimizer's state itself (not a copy): callers read, only the learner writes. */
  public double[] optimizerState() {
    return optimizerState;
  }

  /**
   * The weights themselves (not a copy), of a network all its parameters: callers read, only the
   * learner writes.
   */
  public double[] weights() {
    return weights;
  }

  public int features() {
    return layers != null ? layers.inputs() : sparse != null ? 1 << hashBits : weights.length;
  }

  public boolean hasBias() {
    return hasBias;
  }

  /** The bias; 0 when the model has none (so net = w·x + bias holds either way). */
  public double bias() {
    return bias;
  }

  public long count() {
    return count;
  }

  public double lossSum() {
    return lossSum;
  }

  void commitStep(final double newBias, final double loss) {
    bias = newBias;
    lossSum += loss;
    count++;
  }
}
