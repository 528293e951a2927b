package io.gradstream.cli;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Classes;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Layers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.LrSchedule;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.learn.race.RaceSpec;
import io.gradstream.query.ModelJson;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import io.gradstream.stream.RaceSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/** The model flags shared by run, demo and replay (the README's model settings). */
final class ModelOptions {
  @Mixin
  EvaluationOptions evaluation;

  @Mixin
  RaceOptions race;

  @Option(names = "--features", paramLabel = "N", defaultValue = "1",
      description = "Number of input features n (default: ${DEFAULT-VALUE}).")
  int features;

  @Option(names = "--hash-bits", paramLabel = "B",
      description = "Read named features (\"features\" in JSON) hashed into 2^B coordinates, as "
          + "scikit-learn's FeatureHasher does, instead of a dense x of --features numbers "
          + "(1 to 24; default: a dense x).")
  Integer hashBits;

  @Option(names = "--interactions", paramLabel = "A:B",
      description = "With --hash-bits: add the product of features A and B as a term of its "
          + "own (VW's -q); repeatable.")
  List<String> interactions = new ArrayList<>();

  @Option(names = "--max-terms", paramLabel = "N",
      description = "With --hash-bits: refuse an event with more terms (its features and "
          + "their interactions) (default: 1000).")
  Integer maxTerms;

  @Option(names = "--scale", paramLabel = "SCALING", defaultValue = "none",
      description = "standard: standardize each numeric feature (by name; of x, each "
          + "coordinate) with the running mean and variance of its values in the model's "
          + "training events, kept in the model; none: as given (default: ${DEFAULT-VALUE}).")
  String scale;

  @Option(names = "--max-coordinates", paramLabel = "N",
      description = "With --hash-bits: the most coordinates one model may touch; an event that "
          + "would touch more is refused (model-full). The default, 30000, keeps a stored model "
          + "within Kafka's default 1 MB record (raise message.max.bytes and max.request.size "
          + "with it).")
  Integer maxCoordinates;

  @Option(names = "--bias", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "Give each model a bias b; with --hidden every layer has biases anyway "
          + "(default: ${DEFAULT-VALUE}).")
  boolean bias;

  @Option(names = "--activation", paramLabel = "NAME", defaultValue = "sigmoid",
      converter = ActivationConverter.class,
      description = "identity, sigmoid, tanh, relu or leaky_relu (default: ${DEFAULT-VALUE}).")
  Activation activation;

  @Option(names = "--loss", paramLabel = "NAME", defaultValue = "squared",
      converter = LossNameConverter.class,
      description = "squared (½e²), logistic (cross-entropy of a sigmoid output, labels in "
          + "[0, 1]), huber, or cross-entropy (K softmax outputs, with --classes or "
          + "--class-names) (default: ${DEFAULT-VALUE}).")
  String loss;

  @Option(names = "--classes", paramLabel = "K",
      description = "With --loss cross-entropy: K classes (2 to 1000), labels 0..K-1.")
  Integer classes;

  @Option(names = "--class-names", paramLabel = "NAMES", split = ",",
      description = "With --loss cross-entropy: the classes by name, in index order "
          + "(a,b,c); a label is a class name or its index.")
  List<String> classNames;

  @Option(names = "--huber-delta", paramLabel = "DELTA",
      description = "Huber's δ: squared within it, linear beyond, with --loss huber "
          + "(default: 1.0).")
  Double huberDelta;

  @Option(names = "--learning-rate", paramLabel = "ETA", defaultValue = "0.1",
      description = "SGD learning rate η > 0 (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "sgd",
      description = "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw or ftrl, each as "
          + "torch.optim (ftrl: FTRL-Proximal) (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--momentum", paramLabel = "MU",
      description = "Momentum μ of momentum and nesterov (default: 0.9).")
  Double momentum;

  @Option(names = "--beta1", paramLabel = "B1", description = "Adam's β1 (default: 0.9).")
  Double beta1;

  @Option(names = "--beta2", paramLabel = "B2", description = "Adam's β2 (default: 0.999).")
  Double beta2;

  @Option(names = "--epsilon", paramLabel = "EPS",
      description = "ε of adagrad (default: 1e-10), rmsprop, adam and adamw (default: 1e-8).")
  Double epsilon;

  @Option(names = "--rmsprop-alpha", paramLabel = "ALPHA",
      description = "RMSprop's smoothing α (default: 0.99).")
  Double rmspropAlpha;

  @Option(names = "--weight-decay", paramLabel = "LAMBDA",
      description = "Weight decay λ, never on the bias (default: 0; adamw: 0.01).")
  Double weightDecay;

  @Option(names = "--ftrl-beta", paramLabel = "BETA", description = "FTRL's β (default: 1.0).")
  Double ftrlBeta;

  @Option(names = "--l1", paramLabel = "L1",
      description = "FTRL's L1 strength: weights within it are exactly 0 (default: 0).")
  Double l1;

  @Option(names = "--l2", paramLabel = "L2", description = "FTRL's L2 strength (default: 0).")
  Double l2;

  @Option(names = "--lr-schedule", paramLabel = "NAME", defaultValue = "constant",
      description = "constant, or invscaling: η / t^p at the model's step t "
          + "(default: ${DEFAULT-VALUE}).")
  String lrSchedule;

  @Option(names = "--power-t", paramLabel = "P",
      description = "p of invscaling (default: 0.5).")
  Double powerT;

  @Option(names = "--clip-norm", paramLabel = "C",
      description = "Scale a gradient whose L2 norm exceeds C down to C (default: off).")
  Double clipNorm;

  @Option(names = "--init-weights", paramLabel = "W1,...,WN", split = ",",
      description = "Starting weights, one per feature (default: zeros).")
  double[] initWeights;

  @Option(names = "--init-bias", paramLabel = "B",
      description = "Starting bias, with --bias (default: 0).")
  Double initBias;

  @Option(names = "--hidden", paramLabel = "N1,N2,...", split = ",",
      description = "Hidden layers between the inputs and the output unit, their widths from the "
          + "input side; every layer then has biases (default: none, one neuron).")
  int[] hidden;

  @Option(names = "--hidden-activation", paramLabel = "NAME",
      converter = ActivationConverter.class,
      description = "The hidden units' activation, any of --activation's (default: tanh).")
  Activation hiddenActivation;

  @Option(names = "--init-seed", paramLabel = "S",
      description = "Seed of a network's starting weights: Glorot uniform from SplitMix64, "
          + "biases 0 (default: 42).")
  Long initSeed;

  @Option(names = "--init-model", paramLabel = "FILE",
      description = "Start every new model from the model in FILE (replay's output with one "
          + "model, or one model as GET /models/{key} gives it): one neuron or a network.")
  Path initModel;

  @Option(names = "--label-ttl", paramLabel = "DURATION", defaultValue = LabelTtl.DEFAULT_TTL,
      description = "How long after its prediction (in event time) a label may come and be "
          + "joined; later ones are dead letters label-too-late. 90s, 15m, 1h, 7d or ISO-8601 "
          + "(default: ${DEFAULT-VALUE}).")
  String labelTtl;

  @Option(names = "--init-models", paramLabel = "FILE",
      description = "Start each key found in FILE (a gradstream export file) from its own model "
          + "there, and reset it to that; other keys start as usual.")
  Path initModels;

  @Option(names = "--max-abs-feature", paramLabel = "X",
      description = "Dead-letter an event with a feature beyond ±X as feature-out-of-range "
          + "instead of stepping on it (one feature of 1e300 can throw a model off for good); "
          + "off by default.")
  Double maxAbsFeature;

  /**
   * The checked rules for events; a bad duration or limit is an {@link IllegalArgumentException}.
   *
   * @param labelGrace the service's cleanup grace (replay keeps every prediction: its default)
   */
  EventRules toEventRules(final String labelGrace, final ModelSpec spec) {
    final LabelTtl labels = new LabelTtl(LabelTtl.parse("label ttl", labelTtl),
        LabelTtl.parse("label grace", labelGrace));
    return new EventRules(labels, maxAbsFeature == null ? Double.POSITIVE_INFINITY
        : maxAbsFeature, initModels == null ? Map.of() : readInitModels(spec),
        evaluation.toSpec(EvaluationKind.of(spec.loss())));
  }

  /** The models of the --init-models file by key, each checked against {@code spec}. */
  private Map<String, Model> readInitModels(final ModelSpec spec) {
    final Map<String, Model> models = new HashMap<>();
    final List<String> lines;
    try {
      lines = Files.readAllLines(initModels);
    } catch (final IOException e) {
      throw new IllegalArgumentException("init models " + initModels + " cannot be read: "
          + e.getMessage());
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      final String where = "init models " + initModels + " line " + (i + 1) + ": ";
      final ModelJson.Exported model;
      try {
        model = ModelJson.parseExported(
            ModelJson.MAPPER.readTree(lines.get(i)));
      } catch (final IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage().lines().findFirst()
            .orElse(""));
      }
      if (model.key() == null) {
        throw new IllegalArgumentException(where + "no \"key\"");
      }
      final String misfit = EventRules.misfit(model.model(), spec);
      if (misfit != null) {
        throw new IllegalArgumentException(where + misfit);
      }
      models.put(model.key(), EventRules.fitted(model.model(), model.settings(), spec));
    }
    return models;
  }

  /** How named features are read: hashing with its interactions, or none (a dense x). */
  private FeatureHashing hashing() {
    if (hashBits == null) {
      if (!interactions.isEmpty() || maxTerms != null || maxCoordinates != null) {
        throw new IllegalArgumentException((maxTerms != null ? "max terms " + maxTerms
            : maxCoordinates != null ? "max coordinates " + maxCoordinates
            : "interactions " + String.join(",", interactions)) + " needs --hash-bits");
      }
      return FeatureHashing.NONE;
    }
    if (features != 1) {
      throw new IllegalArgumentException("features " + features + " does not go with "
          + "--hash-bits: hashed inputs have 2^" + hashBits + " coordinates");
    }
    if (initModel != null || initModels != null) {
      throw new IllegalArgumentException("init models do not apply to hashed inputs yet");
    }
    return new FeatureHashing(hashBits, interactions.stream().map(FeatureHashing.Interaction::parse)
        .toList(), maxTerms == null ? FeatureHashing.DEFAULT_MAX_TERMS : maxTerms,
        maxCoordinates == null ? FeatureHashing.DEFAULT_MAX_COORDINATES : maxCoordinates);
  }

  /** The checked spec; an impossible combination is an {@link IllegalArgumentException}. */
  ModelSpec toSpec() {
    final FeatureHashing hashing = hashing();
    final FeatureScaling scaling = FeatureScaling.of(scale);
    if (scaling == null) {
      throw new IllegalArgumentException("scale " + scale + " is none or standard");
    }
    final boolean network = hidden != null && hidden.length > 0;
    if (initBias != null && !bias && !network) {
      throw new IllegalArgumentException("init bias " + initBias + " needs --bias: without it "
          + "the models have no bias");
    }
    if (huberDelta != null && !loss.equals("huber")) {
      throw new IllegalArgumentException("huber delta " + huberDelta + " needs --loss huber");
    }
    if (!network && (hiddenActivation != null || initSeed != null)) {
      throw new IllegalArgumentException((hiddenActivation != null ? "hidden activation "
          + hiddenActivation.id() : "init seed " + initSeed) + " needs --hidden");
    }
    final Loss lossFunction = lossFunction();
    final OptimizerSettings stepping = new OptimizerSettings(OptimizerKind.named(optimizer),
        momentum, beta1, beta2, epsilon, rmspropAlpha, weightDecay, ftrlBeta, l1, l2,
        LrSchedule.named(lrSchedule), powerT, clipNormOrOff());
    final HiddenLayers layers = network ? HiddenLayers.of(hidden,
        hiddenActivation == null ? Activation.TANH : hiddenActivation,
        initSeed == null ? HiddenLayers.DEFAULT_SEED : initSeed) : HiddenLayers.NONE;
    // with hidden layers every layer has biases: --bias asks for nothing more
    final boolean neuronBias = bias && !network;
    if (initBias != null && network) {
      throw new IllegalArgumentException("init bias is for one neuron: a network's biases "
          + "start at 0, or from --init-model");
    }
    if (!hashing.none()) {
      return new ModelSpec(1 << hashing.bits(), neuronBias, activation, learningRate,
          initWeights, initBias == null ? 0.0 : initBias, lossFunction, stepping, layers,
          hashing, scaling);
    }
    if (initModel == null) {
      return new ModelSpec(features, neuronBias, activation, learningRate, initWeights,
          initBias == null ? 0.0 : initBias, lossFunction, stepping, layers,
          FeatureHashing.NONE, scaling);
    }
    if (initWeights != null || initBias != null || initSeed != null) {
      throw new IllegalArgumentException("init model " + initModel + " is the starting point: "
          + "it does not go with --init-weights, --init-bias or --init-seed");
    }
    if (lossFunction.classes() != null) {
      throw new IllegalArgumentException("init model " + initModel + " does not apply to --loss "
          + "cross-entropy yet: give each key its start with --init-models");
    }
    final Model start = InitModelFile.read(initModel);
    final String misfit = InitModelFile.misfit(initModel, start, features, neuronBias,
        network ? Layers.of(features, hidden) : null);
    if (misfit != null) {
      throw new IllegalArgumentException(misfit);
    }
    return network
        ? new ModelSpec(features, false, activation, learningRate, null, 0.0, lossFunction,
            stepping, new HiddenLayers(hidden, layers.activation(), layers.initSeed(),
                start.weights()), FeatureHashing.NONE, scaling)
        : new ModelSpec(features, neuronBias, activation, learningRate, start.weights(),
            start.bias(), lossFunction, stepping, layers, FeatureHashing.NONE, scaling);
  }

  /**
   * The race these flags ask for: each variant's spec and event rules, in the cross product's
   * order; null without --race. A bad race or variant is an {@link IllegalArgumentException}.
   *
   * @param given the parsed command line, to refuse a raced setting also given on its own
   * @param labelGrace the service's cleanup grace (replay keeps every prediction: its default)
   */
  RaceSetup raceSetup(final ParseResult given, final String labelGrace) {
    if (!race.racing()) {
      return null;
    }
    final List<String> names = new ArrayList<>();
    final List<ModelSpec> specs = new ArrayList<>();
    final List<EventRules> rules = new ArrayList<>();
    for (final Map<String, String> variant : race.variants(given)) {
      final String name = RaceOptions.name(variant);
      try {
        final ModelSpec variantSpec = toSpec(variant);
        names.add(name);
        specs.add(variantSpec);
        rules.add(toEventRules(labelGrace, variantSpec));
      } catch (final IllegalArgumentException e) {
        throw new IllegalArgumentException("race variant " + name + ": " + e.getMessage());
      }
    }
    return new RaceSetup(new RaceSpec(names, specs, race.rule()), rules);
  }

  /**
   * The spec of a race's variant: these flags with {@code variant}'s settings (by option name)
   * in place of theirs.
   */
  ModelSpec toSpec(final Map<String, String> variant) {
    final double savedRate = learningRate;
    final String savedOptimizer = optimizer;
    final Double[] saved = {momentum, beta1, beta2, weightDecay, clipNorm};
    try {
      variant.forEach((name, value) -> {
        switch (name) {
          case "learning-rate" -> learningRate = number(name, value);
          case "optimizer" -> optimizer = value;
          case "momentum" -> momentum = number(name, value);
          case "beta1" -> beta1 = number(name, value);
          case "beta2" -> beta2 = number(name, value);
          case "weight-decay" -> weightDecay = number(name, value);
          case "clip-norm" -> clipNorm = number(name, value);
          default -> throw new IllegalArgumentException("race cannot vary " + name);
        }
      });
      return toSpec();
    } finally {
      learningRate = savedRate;
      optimizer = savedOptimizer;
      momentum = saved[0];
      beta1 = saved[1];
      beta2 = saved[2];
      weightDecay = saved[3];
      clipNorm = saved[4];
    }
  }

  private static double number(final String name, final String value) {
    try {
      return Double.parseDouble(value);
    } catch (final NumberFormatException e) {
      throw new IllegalArgumentException("race " + name + " value '" + value + "' is not a "
          + "number");
    }
  }

  /** The loss, and for the cross-entropy its classes. */
  private Loss lossFunction() {
    if (!loss.equals("cross-entropy")) {
      if (classes != null || classNames != null) {
        throw new IllegalArgumentException((classes != null ? "classes " + classes
            : "class names " + String.join(",", classNames)) + " needs --loss cross-entropy");
      }
      return Loss.of(loss, huberDelta == null ? 1.0 : huberDelta);
    }
    if (classNames == null) {
      return classes == null ? Loss.of(loss, 1.0) : Loss.crossEntropy(Classes.numbered(classes));
    }
    if (classes != null && classes != classNames.size()) {
      throw new IllegalArgumentException("classes " + classes + " and " + classNames.size()
          + " class names " + String.join(",", classNames) + " disagree");
    }
    return Loss.crossEntropy(Classes.named(classNames));
  }

  private double clipNormOrOff() {
    if (clipNorm != null && !(clipNorm > 0 && Double.isFinite(clipNorm))) {
      throw new IllegalArgumentException("clip norm must be a finite number above 0, got "
          + clipNorm);
    }
    return clipNorm == null ? 0.0 : clipNorm;
  }

  static final class LossNameConverter implements picocli.CommandLine.ITypeConverter<String> {
    @Override
    public String convert(final String value) {
      if (!List.of("squared", "logistic", "huber", "cross-entropy").contains(value)) {
        throw new picocli.CommandLine.TypeConversionException("unknown loss '" + value
            + "' (expected squared, logistic, huber or cross-entropy)");
      }
      return value;
    }
  }

  static final class ActivationConverter implements picocli.CommandLine.ITypeConverter<Activation> {
    @Override
    public Activation convert(final String value) {
      try {
        return Activation.fromId(value);
      } catch (final IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
