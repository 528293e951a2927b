package io.gradstream.learn.optim;

/**
 * FTRL-Proximal (McMahan et al. 2013, "Ad Click Prediction: a View from the Trenches", Algorithm
 * 1), per coordinate, the bias a coordinate whose input is 1. The weight is a function of the state
 * (z, n): w = 0 if |z| ≤ λ1, else −(z − sgn(z)·λ1) / ((β + √n)/α + λ2), which is how L1 makes
 * weights exactly 0. With the gradient g at w: σ = (√(n + g²) − √n)/α; z ← z + g − σ·w;
 * n ← n + g²; the new weight follows from the new (z, n). State: z, then n.
 */
final class Ftrl implements Optimizer {
  private final double beta;
  private final double l1;
  private final double l2;
  private double inverseAlpha;

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
    this.inverseAlpha = 1.0 / lr; // α, the learning rate
  }

  @Override
  public void update(final double[] w, final double[] g, final int from, final int to,
      final boolean decay, final double[] state, final double[] nextState, final int size,
      final double[] next) {
    final int squares = 1 + size;
    for (int i = from; i < to; i++) {
      final double n = state[squares + i];
      final double nextN = n + g[i] * g[i];
      final double rootN = Math.sqrt(nextN);
      final double z = state[1 + i] + g[i] - (rootN - Math.sqrt(n)) * inverseAlpha * w[i];
      nextState[1 + i] = z;
      nextState[squares + i] = nextN;
      final double shrunk = Math.abs(z) - l1;
      next[i] = shrunk <= 0.0 ? 0.0
          : -Math.copySign(shrunk, z) / ((beta + rootN) * inverseAlpha + l2);
    }
  }
}
