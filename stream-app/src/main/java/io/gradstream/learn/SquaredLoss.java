package io.gradstream.learn;

import java.util.SortedMap;

/** L = ½e² with e = d − y; ∂L/∂net = ∂L/∂e · ∂e/∂y · ∂y/∂net = e · (−1) · f'(net). */
final class SquaredLoss implements Loss {
  @Override
  public double value(final double net, final double y, final double d) {
    final double e = d - y;
    return 0.5 * e * e;
  }

  @Override
  public double slope(final double net, final double y, final double fPrime, final double d) {
    return -(d - y) * fPrime;
  }

  @Override
  public void describe(final SortedMap<String, String> settings) {
    settings.put("loss", "squared");
  }
}
