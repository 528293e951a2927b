package io.gradstream.learn.optim;

/**
 * torch.optim.SGD with momentum μ and dampening 0 (Sutskever et al. 2013): g ← g + λ·p;
 * b ← g at the first step, else b ← μ·b + g; then p ← p − η·b, or with Nesterov p ← p − η·(g + μ·b).
 * State: b.
 */
final class Momentum implements Optimizer {
  private final double momentum;
  private final boolean nesterov;
  private final double weightDecay;
  private double lr;
  private boolean first;

  Momentum(final double momentum, final boolean nesterov, final double weightDecay) {
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
  }

  @Override
  public int slots() {
    return 1;
  }

  @Override
  public void begin(final long t, final double lr) {
    this.lr = lr;
    this.first = t == 1;
  }

  @Override
  public double update(final double p, final double g, final boolean decay, final double[] state,
      final double[] next, final int at) {
    final double grad = decay ? g + weightDecay * p : g;
    // torch's first buffer is a copy of the gradient, not μ·0 + g (they differ for g = −0.0)
    final double buffer = first ? grad : momentum * state[at] + grad;
    next[at] = buffer;
    return p - lr * (nesterov ? grad + momentum * buffer : buffer);
  }
}
