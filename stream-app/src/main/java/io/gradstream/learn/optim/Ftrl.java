package io.gradstream.learn.optim;

/**
 * FTRL-Proximal (McMahan et al. 2013, "Ad Click Prediction: a View from the Trenches", Algorithm
 * 1), per coordinate, the bias a coordinate whose input is 1. The weight is a function of the state
 * (z, n): w = 0 if |z| ≤ λ1, else −(z − sgn(z)·λ1) / ((β + √n)/α + λ2), which is how L1 makes
 * weights exactly 0. With the gradient g at w: σ = (√(n + g²) − √n)/α; z ← z + g − σ·w;
 * n ← n + g²; the new weight follows from the new (z, n). State: z, n.
 */
final class Ftrl implements Optimizer {
  private final double beta;
  private final double l1;
  private final double l2;
  private double alpha;

  Ftrl(final double beta, final double l1, final double l2) {
    this.beta = beta;
    this.l1 = l1;
    this.l2 = l2;
  }

  @Override
  public int slots() {
    return 2;
  }

  @Override
  public void begin(final long t, final double lr) {
    this.alpha = lr;
  }

  @Override
  public double update(final double w, final double g, final boolean decay, final double[] state,
      final double[] next, final int at) {
    final double n = state[at + 1];
    final double nextN = n + g * g;
    final double sigma = (Math.sqrt(nextN) - Math.sqrt(n)) / alpha;
    final double z = state[at] + g - sigma * w;
    next[at] = z;
    next[at + 1] = nextN;
    return weight(z, nextN);
  }

  private double weight(final double z, final double n) {
    if (Math.abs(z) <= l1) {
      return 0.0;
    }
    return -(z - Math.signum(z) * l1) / ((beta + Math.sqrt(n)) / alpha + l2);
  }
}
