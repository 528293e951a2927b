package io.gradstream.cli;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Loss;
import io.gradstream.learn.ModelSpec;
import picocli.CommandLine.Option;

/** The model flags shared by run, demo and replay (PRODUCT.md's "Model settings"). */
final class ModelOptions {
  @Option(names = "--features", paramLabel = "N", defaultValue = "1",
      description = "Number of input features n (default: ${DEFAULT-VALUE}).")
  int features;

  @Option(names = "--bias", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "Give each model a bias b (default: ${DEFAULT-VALUE}).")
  boolean bias;

  @Option(names = "--activation", paramLabel = "NAME", defaultValue = "sigmoid",
      converter = ActivationConverter.class,
      description = "identity, sigmoid, tanh, relu or leaky_relu (default: ${DEFAULT-VALUE}).")
  Activation activation;

  @Option(names = "--loss", paramLabel = "NAME", defaultValue = "squared",
      converter = LossNameConverter.class,
      description = "squared (½e²), logistic (cross-entropy of a sigmoid output, labels in "
          + "[0, 1]) or huber (default: ${DEFAULT-VALUE}).")
  String loss;

  @Option(names = "--huber-delta", paramLabel = "DELTA",
      description = "Huber's δ: squared within it, linear beyond, with --loss huber "
          + "(default: 1.0).")
  Double huberDelta;

  @Option(names = "--learning-rate", paramLabel = "ETA", defaultValue = "0.1",
      description = "SGD learning rate η > 0 (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--init-weights", paramLabel = "W1,...,WN", split = ",",
      description = "Starting weights, one per feature (default: zeros).")
  double[] initWeights;

  @Option(names = "--init-bias", paramLabel = "B",
      description = "Starting bias, with --bias (default: 0).")
  Double initBias;

  /** The checked spec; an impossible combination is an {@link IllegalArgumentException}. */
  ModelSpec toSpec() {
    if (initBias != null && !bias) {
      throw new IllegalArgumentException("init bias " + initBias + " needs --bias: without it "
          + "the models have no bias");
    }
    if (huberDelta != null && !loss.equals("huber")) {
      throw new IllegalArgumentException("huber delta " + huberDelta + " needs --loss huber");
    }
    return new ModelSpec(features, bias, activation, learningRate, initWeights,
        initBias == null ? 0.0 : initBias,
        Loss.of(loss, huberDelta == null ? 1.0 : huberDelta));
  }

  static final class LossNameConverter implements picocli.CommandLine.ITypeConverter<String> {
    @Override
    public String convert(final String value) {
      if (!java.util.List.of("squared", "logistic", "huber").contains(value)) {
        throw new picocli.CommandLine.TypeConversionException(
            "unknown loss '" + value + "' (expected squared, logistic or huber)");
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
