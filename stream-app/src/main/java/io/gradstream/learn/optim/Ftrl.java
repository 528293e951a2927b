package io.gradstream.learn.optim;

/**
 * FTRL-Proximal (McMahan et al. 2013, "Ad Click Prediction: a View from the Trenches", Algorithm
 * 1), per coordinate, the bias a coordinate whose input is 1. The weight is a function of the state
 * (z, n): w = 0 if |z| ≤ λ1, else −(z − sgn(z)·λ1) / ((β + √n)/α + λ2), which is how L1 makes
 * weights exactly 0. With the gradient g at w: σ = (√(n + g²) − √n)/α; z ← z + g − σ·w;
 * n ← n + g²; the new weight follows from the new (z, n). State: z, then n. Its regularization is
 * λ1 and λ2, so it takes no weight decay.
 */
final class Ftrl extends Optimizer {
  private final double beta;
  private final double l1;
  private final double l2;
  private double inverseAlpha;

  Ftrl(final double beta, final double l1, final double l2) {
    super(0.0);
    this.beta = beta;
    this.l1 = l1;
    this.l2 = l2;
  }

  @Override
  protected void begin(final long t) {
    this.inverseAlpha = 1.0 / lr; // α, the learning rate
  }

  @Override
  protected void rule(final StepBuffers buffers, final int from, final int to,
      final boolean decay) {
    final double[] w = buffers.parameters();
    final double[] g = buffers.gradient();
    final double[] state = buffers.state();
    final double[] nextState = buffers.nextState();
    final double[] next = buffers.next();
    final int zs = buffers.slot(0);
    final int squares = buffers.slot(1);
    for (int i = from; i < to; i++) {
      final double n = state[squares + i];
      final double nextN = n + g[i] * g[i];
      final double rootN = Math.sqrt(nextN);
      final double z = state[zs + i] + g[i] - (rootN - Math.sqrt(n)) * inverseAlpha * w[i];
      nextState[zs + i] = z;
      nextState[squares + i] = nextN;
      final double shrunk = Math.abs(z) - l1;
      next[i] = shrunk <= 0.0 ? 0.0
          : -Math.copySign(shrunk, z) / ((beta + rootN) * inverseAlpha + l2);
    }
  }
}
