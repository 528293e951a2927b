package io.gradstream.learn;

import java.util.SortedMap;

/**
 * The loss L of one event and its slope ∂L/∂net, the first factor of the chain rule: the gradient
 * is ∂L/∂net · x. Every loss sees net, y = f(net) and f'(net), so that one computed stably from net
 * (logistic) and one computed from the error e = d − y (squared, Huber) fit the same step.
 */
public interface Loss {
  /** The loss of the README's learning rule, L = ½e². */
  Loss SQUARED = new SquaredLoss();
  Loss LOGISTIC = new LogisticLoss();

  double value(double net, double y, double d);

  /** ∂L/∂net. */
  double slope(double net, double y, double fPrime, double d);

  /** Whether {@code d} (finite) can be a label of this loss. */
  default boolean accepts(final double d) {
    return true;
  }

  /** The classes of a loss over K outputs (the cross-entropy); null for a loss of one output. */
  default Classes classes() {
    return null;
  }

  /** Its settings by option name ({@code loss}, and its parameters), as stored with a model. */
  void describe(SortedMap<String, String> settings);

  /** The loss named {@code id}; {@code huberDelta} is Huber's δ. */
  static Loss of(final String id, final double huberDelta) {
    return switch (id) {
      case "squared" -> SQUARED;
      case "logistic" -> LOGISTIC;
      case "huber" -> new HuberLoss(huberDelta);
      case "cross-entropy" -> throw new IllegalArgumentException(
          "loss cross-entropy needs its classes: --classes K or --class-names a,b,c");
      default -> throw new IllegalArgumentException(
          "unknown loss '" + id + "' (expected squared, logistic, huber or cross-entropy)");
    };
  }

  /** The cross-entropy of K softmax outputs over {@code classes}. */
  static Loss crossEntropy(final Classes classes) {
    return new CrossEntropyLoss(classes);
  }
}
