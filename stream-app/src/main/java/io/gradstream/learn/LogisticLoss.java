package io.gradstream.learn;

import java.util.SortedMap;

/**
 * Binary cross-entropy on y = sigmoid(net), L = −d·ln y − (1 − d)·ln(1 − y), for labels d in
 * [0, 1].
 * Written in net it is softplus(net) − d·net, computed here as max(net, 0) − d·net +
 * ln(1 + e^−|net|), which neither takes ln 0 nor overflows for any finite net (1e300 gives 1e300).
 * Its slope ∂L/∂net = y − d: the sigmoid's slope cancels, so a saturated unit still learns.
 */
final class LogisticLoss implements Loss {
  @Override
  public double value(final double net, final double y, final double d) {
    return Math.max(net, 0.0) - d * net + StrictMath.log1p(StrictMath.exp(-Math.abs(net)));
  }

  @Override
  public double slope(final double net, final double y, final double fPrime, final double d) {
    return y - d;
  }

  @Override
  public boolean accepts(final double d) {
    return d >= 0.0 && d <= 1.0;
  }

  @Override
  public void describe(final SortedMap<String, String> settings) {
    settings.put("loss", "logistic");
  }
}
