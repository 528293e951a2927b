package io.gradstream.learn;

import java.util.SortedMap;

/**
 * Huber's loss with threshold δ: L = ½e² when |e| ≤ δ, else δ·(|e| − ½δ), with e = d − y. Squared
 * near the label, linear beyond δ, so an outlier pulls with at most δ: ∂L/∂net = −clip(e, −δ, δ) ·
 * f'(net).
 */
record HuberLoss(double delta) implements Loss {
  HuberLoss {
    if (!(delta > 0.0) || !Double.isFinite(delta)) {
      throw new IllegalArgumentException("huber delta must be a finite number above 0, got "
          + delta);
    }
  }

  @Override
  public double value(final double net, final double y, final double d) {
    final double e = d - y;
    final double size = Math.abs(e);
    return size <= delta ? 0.5 * e * e : delta * (size - 0.5 * delta);
  }

  @Override
  public double slope(final double net, final double y, final double fPrime, final double d) {
    final double e = d - y;
    return -Math.max(-delta, Math.min(delta, e)) * fPrime;
  }

  @Override
  public void describe(final SortedMap<String, String> settings) {
    settings.put("loss", "huber");
    settings.put("huber-delta", Double.toString(delta));
  }
}
