package io.gradstream.learn;

import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The settings every model of one service shares: its shape, activation, loss, learning rate and
 * starting point. Checked once here, so the learner never meets an impossible setting.
 *
 * @param initWeights starting weights, one per feature (zeros by default); none for hashed inputs
 * @param hashing how named features are hashed into the input; {@link FeatureHashing#NONE} for a
 *     dense x, and then {@code features} is 2^bits
 * @param scaling how numeric inputs are scaled before the model sees them
 */
public record ModelSpec(
    int features,
    boolean bias,
    Activation activation,
    double learningRate,
    double[] initWeights,
    double initBias,
    Loss loss,
    OptimizerSettings optimizer,
    HiddenLayers hidden,
    FeatureHashing hashing,
    FeatureScaling scaling) {

  /**
   * The value each step setting had before it was stored with the models: a stored model that
   * does not name one was trained with this value.
   */
  public static final Map<String, String> STEP_SETTINGS_BEFORE = Map.of("loss", "squared",
      "optimizer", "sgd", "weight-decay", "0.0", "lr-schedule", "constant", "clip-norm", "none",
      "scale", "none");

  /** One neuron. */
  public ModelSpec(final int features, final boolean bias, final Activation activation,
      final double learningRate, final double[] initWeights, final double initBias,
      final Loss loss, final OptimizerSettings optimizer) {
    this(features, bias, activation, learningRate, initWeights, initBias, loss, optimizer,
        HiddenLayers.NONE);
  }

  /** A dense input. */
  public ModelSpec(final int features, final boolean bias, final Activation activation,
      final double learningRate, final double[] initWeights, final double initBias,
      final Loss loss, final OptimizerSettings optimizer, final HiddenLayers hidden) {
    this(features, bias, activation, learningRate, initWeights, initBias, loss, optimizer, hidden,
        FeatureHashing.NONE);
  }

  /** Unscaled. */
  public ModelSpec(final int features, final boolean bias, final Activation activation,
      final double learningRate, final double[] initWeights, final double initBias,
      final Loss loss, final OptimizerSettings optimizer, final HiddenLayers hidden,
      final FeatureHashing hashing) {
    this(features, bias, activation, learningRate, initWeights, initBias, loss, optimizer, hidden,
        hashing, FeatureScaling.NONE);
  }

  /** With the squared loss and plain SGD. */
  public ModelSpec(final int features, final boolean bias, final Activation activation,
      final double learningRate, final double[] initWeights, final double initBias) {
    this(features, bias, activation, learningRate, initWeights, initBias, Loss.SQUARED);
  }

  /** With plain SGD. */
  public ModelSpec(final int features, final boolean bias, final Activation activation,
      final double learningRate, final double[] initWeights, final double initBias,
      final Loss loss) {
    this(features, bias, activation, learningRate, initWeights, initBias, loss,
        OptimizerSettings.sgd());
  }

  public ModelSpec {
    if (features < 1) {
      throw new IllegalArgumentException("features must be at least 1, got " + features);
    }
    if (activation == null) {
      throw new IllegalArgumentException("an activation is required");
    }
    if (loss == null || optimizer == null || hidden == null || hashing == null
        || scaling == null) {
      throw new IllegalArgumentException("a loss, an optimizer, hidden layers, hashing and "
          + "scaling are required");
    }
    final Classes classes = loss.classes();
    if (classes != null) {
      checkClasses(bias, activation, initWeights, initBias, hashing);
    }
    if (!hidden.none()) {
      checkNetwork(features, bias, initWeights, initBias, optimizer, hidden,
          classes == null ? 1 : classes.count());
    }
    if (!hashing.none()) {
      checkHashing(features, initWeights, optimizer, hidden, hashing);
      initWeights = new double[0];
    }
    if (loss == Loss.LOGISTIC && activation != Activation.SIGMOID) {
      throw new IllegalArgumentException("loss logistic is the cross-entropy of a sigmoid output: "
          + "it needs --activation sigmoid, got " + activation.id());
    }
    if (!(learningRate > 0.0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be a finite number above 0, got " + learningRate);
    }
    if (initWeights == null) {
      initWeights = new double[features];
    } else if (!hashing.none()) {
      initWeights = initWeights.clone();
    } else if (initWeights.length != features) {
      throw new IllegalArgumentException(
          "init weights has " + initWeights.length + (initWeights.length == 1 ? " value"
              : " values") + " but features is " + features);
    } else {
      initWeights = initWeights.clone();
    }
    for (final double w : initWeights) {
      if (!Double.isFinite(w)) {
        throw new IllegalArgumentException("init weights must be finite, got " + w);
      }
    }
    if (!Double.isFinite(initBias)) {
      throw new IllegalArgumentException("init bias must be finite, got " + initBias);
    }
    if (optimizer.kind() == OptimizerKind.FTRL
        && (initBias != 0 || Arrays.stream(initWeights).anyMatch(w -> w != 0))) {
      throw new IllegalArgumentException("init weights and init bias do not apply to ftrl: its "
          + "weights follow from its state, which starts at 0");
    }
  }

  /**
   * With hidden layers every layer has its biases, and the starting point is the network's own;
   * FTRL is refused: its weights follow from its state, which starts at 0, and a network whose
   * weights are all 0 cannot learn (every hidden unit gets the same gradient, 0).
   */
  private static void checkNetwork(final int features, final boolean bias,
      final double[] initWeights, final double initBias, final OptimizerSettings optimizer,
      final HiddenLayers hidden, final int outputs) {
    if (bias) {
      throw new IllegalArgumentException("--bias is for one neuron: with hidden layers every "
          + "layer has its biases");
    }
    if (initWeights != null || initBias != 0) {
      throw new IllegalArgumentException("init weights and init bias are for one neuron: a "
          + "network starts from --init-seed or --init-model");
    }
    if (optimizer.kind() == OptimizerKind.FTRL) {
      throw new IllegalArgumentException("ftrl does not apply to hidden layers: its weights "
          + "start at 0, where a network cannot learn (every hidden unit gets the same gradient)");
    }
    final Layers layers = Layers.of(features, hidden.units(), outputs);
    final double[] given = hidden.initParameters();
    if (given != null && given.length != layers.parameters()) {
      throw new IllegalArgumentException("the starting network has " + given.length
          + " parameters, a network " + layers + " has " + layers.parameters());
    }
  }

  /**
   * K classes end in K units with a softmax, each with its bias, starting from zeros (one layer)
   * or the network's own start: the output's activation, --bias and a neuron's starting point do
   * not apply. Hashed inputs are not built for them yet.
   */
  private static void checkClasses(final boolean bias, final Activation activation,
      final double[] initWeights, final double initBias, final FeatureHashing hashing) {
    if (activation != Activation.SIGMOID) {
      throw new IllegalArgumentException("loss cross-entropy ends in a softmax over the classes: "
          + "--activation " + activation.id() + " does not apply (give --hidden-activation for "
          + "hidden layers)");
    }
    if (bias) {
      throw new IllegalArgumentException("--bias is for one neuron: with --loss cross-entropy "
          + "every class has its bias");
    }
    if (initWeights != null || initBias != 0) {
      throw new IllegalArgumentException("init weights and init bias are for one neuron: a "
          + "multi-class model starts from zeros (or, with hidden layers, from --init-seed)");
    }
    if (!hashing.none()) {
      throw new IllegalArgumentException("--hash-bits does not take --loss cross-entropy yet: "
          + "give x");
    }
  }

  /**
   * Hashed inputs: 2^bits features, no starting weights (a hashed model starts at 0 and keeps
   * only what it touches), and only the optimizers that are exact and sparse there.
   */
  private static void checkHashing(final int features, final double[] initWeights,
      final OptimizerSettings optimizer, final HiddenLayers hidden,
      final FeatureHashing hashing) {
    if (features != 1 << hashing.bits()) {
      throw new IllegalArgumentException("hashed inputs have 2^" + hashing.bits() + " = "
          + (1 << hashing.bits()) + " features, got " + features);
    }
    if (initWeights != null) {
      throw new IllegalArgumentException("init weights do not apply to hashed inputs: a hashed "
          + "model starts at 0 and keeps only the coordinates it touches");
    }
    final OptimizerKind kind = optimizer.kind();
    if (kind != OptimizerKind.SGD && kind != OptimizerKind.ADAGRAD
        && kind != OptimizerKind.FTRL) {
      throw new IllegalArgumentException("optimizer " + kind + " moves every weight at every "
          + "step, so it cannot be both exact and sparse on hashed inputs: use sgd, adagrad or "
          + "ftrl");
    }
    if (optimizer.weightDecay() != 0.0) {
      throw new IllegalArgumentException("weight decay moves every weight at every step, so it "
          + "cannot be both exact and sparse on hashed inputs");
    }
  }

  /** B of hashed inputs (2^B coordinates); 0 for a dense x. */
  public int hashBits() {
    return hashing.bits();
  }

  /**
   * The network's shape; null for one neuron. A multi-class model is a network, with or without
   * hidden layers: its output layer has K units.
   */
  public Layers layers() {
    final Classes classes = loss.classes();
    if (classes == null) {
      return hidden.none() ? null : Layers.of(features, hidden.units());
    }
    return Layers.of(features, hidden.units(), classes.count());
  }

  /** The classes of a multi-class model (--loss cross-entropy); null for one output. */
  public Classes classes() {
    return loss.classes();
  }

  /** The README's defaults: n features, no bias, sigmoid, η = 0.1, zero start. */
  public static ModelSpec defaults(final int features) {
    return new ModelSpec(features, false, Activation.SIGMOID, 0.1, null, 0.0);
  }

  /**
   * The settings that decide how a model already trained is stepped from here on, by option name:
   * stored with every model, so that a model is never stepped under other settings unnoticed. The
   * shape (features, bias) is the stored model's own; the starting point matters to new models
   * only.
   */
  public SortedMap<String, String> stepSettings() {
    final SortedMap<String, String> settings = new TreeMap<>();
    settings.put("activation", activation.id());
    settings.put("learning-rate", Double.toString(learningRate));
    if (!hidden.none()) {
      settings.put("hidden", hidden.text());
      settings.put("hidden-activation", hidden.activation().id());
      if (!hashing.none()) {
        // an untouched first-layer column is the seed's, at every step: the seed is a setting
        settings.put("init-seed", Long.toString(hidden.initSeed()));
      }
    }
    if (!hashing.none()) {
      settings.put("hash-bits", Integer.toString(hashing.bits()));
      if (!hashing.interactions().isEmpty()) {
        settings.put("interactions", hashing.interactions().stream()
            .map(FeatureHashing.Interaction::toString).collect(Collectors.joining(",")));
      }
    }
    settings.put("scale", scaling.id());
    loss.describe(settings);
    optimizer.describe(settings);
    // a setting at the value it had before it was stored is left out, as older models leave it
    STEP_SETTINGS_BEFORE.forEach(settings::remove);
    return settings;
  }

  /** How many doubles of optimizer state each model keeps. */
  public int optimizerStateSize() {
    if (!hashing.none() && !hidden.none()) {
      // the first layer's biases and the later layers'; the first layer's weights are per column
      return optimizer.stateSize(hidden.units()[0] + HashedNetwork.tail(layers()).parameters());
    }
    if (!hashing.none()) {
      return optimizer.stateSize(bias ? 1 : 0); // the bias's; the weights' are per coordinate
    }
    final Layers layers = layers();
    return optimizer.stateSize(layers == null ? features + (bias ? 1 : 0) : layers.parameters());
  }

  /**
   * What these settings cannot do although they are valid; empty when nothing. relu from an
   * all-zero start never learns: net = b ≤ 0 for every x, relu'(net) = 0, so every gradient is 0.
   */
  public List<String> warnings() {
    final boolean zeroStart = Arrays.stream(initWeights).allMatch(w -> w == 0.0)
        && !(bias && initBias > 0.0);
    if (activation == Activation.RELU && zeroStart && hidden.none()) {
      return List.of("relu from all-zero starting weights" + (bias ? " and a bias ≤ 0" : "")
          + " never learns (net = 0 and relu'(0) = 0, so every gradient is 0): give "
          + "--init-weights" + (bias ? " or a positive --init-bias" : "")
          + ", or use leaky_relu");
    }
    return List.of();
  }

  @Override
  public double[] initWeights() {
    return initWeights.clone();
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof ModelSpec s
        && features == s.features
        && bias == s.bias
        && activation == s.activation
        && Double.compare(learningRate, s.learningRate) == 0
        && Arrays.equals(initWeights, s.initWeights)
        && Double.compare(initBias, s.initBias) == 0
        && loss.equals(s.loss)
        && optimizer.equals(s.optimizer)
        && hidden.equals(s.hidden)
        && hashing.equals(s.hashing)
        && scaling == s.scaling;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(initWeights)
        + Double.hashCode(learningRate)
        + activation.hashCode();
  }

  private String stepText() {
    final SortedMap<String, String> settings = new TreeMap<>();
    if (scaling != FeatureScaling.NONE) {
      settings.put("scale", scaling.id());
    }
    loss.describe(settings);
    optimizer.describe(settings);
    final StringBuilder text = new StringBuilder();
    settings.forEach((name, value) -> text.append(' ').append(name).append('=').append(value));
    return text.toString();
  }

  /** As the start line shows it: a network's layers all have biases and Glorot weights. */
  @Override
  public String toString() {
    if (loss.classes() != null && hidden.none()) {
      return "features=" + features + " classes=" + loss.classes().count() + " learningRate="
          + learningRate + stepText();
    }
    if (!hidden.none()) {
      return "features=" + features + " " + hidden + " activation=" + activation.id()
          + " learningRate=" + learningRate + stepText();
    }
    if (!hashing.none()) {
      return "hashBits=" + hashing.bits() + (hashing.interactions().isEmpty() ? ""
          : " interactions=" + hashing.interactions()) + " bias=" + bias + " activation="
          + activation.id() + " learningRate=" + learningRate
          + (bias ? " initBias=" + initBias : "") + stepText();
    }
    return "features=" + features + " bias=" + bias + " activation=" + activation.id()
        + " learningRate=" + learningRate + " initWeights="
        + Arrays.toString(initWeights) + (bias ? " initBias=" + initBias : "") + stepText();
  }
}
