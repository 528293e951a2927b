package io.gradstream.learn;

import java.util.SortedMap;

/**
 * The cross-entropy of K softmax outputs, L = −ln softmax(z)_d (torch's cross_entropy), for a
 * label d that is one of the {@link Classes}. It is not a loss of one output: a model with it
 * ends in K units, and its learner computes L and ∂L/∂z with {@link Softmax}, so the one-output
 * methods are never called.
 */
record CrossEntropyLoss(Classes classes) implements Loss {
  @Override
  public double value(final double net, final double y, final double d) {
    throw new UnsupportedOperationException("the cross-entropy is a loss of K outputs");
  }

  @Override
  public double slope(final double net, final double y, final double fPrime, final double d) {
    throw new UnsupportedOperationException("the cross-entropy is a loss of K outputs");
  }

  @Override
  public boolean accepts(final double d) {
    return classes.accepts(d);
  }

  @Override
  public Classes classes() {
    return classes;
  }

  @Override
  public void describe(final SortedMap<String, String> settings) {
    settings.put("loss", "cross-entropy");
    if (classes.hasNames()) {
      settings.put("class-names", String.join(",", classes.names()));
    } else {
      settings.put("classes", Integer.toString(classes.count()));
    }
  }
}
