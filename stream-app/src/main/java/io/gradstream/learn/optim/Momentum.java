package io.gradstream.learn.optim;

/**
 * torch.optim.SGD with momentum μ and dampening 0 (Sutskever et al. 2013): g ← g + λ·p;
 * b ← g at the first step, else b ← μ·b + g; then p ← p − η·b, or with Nesterov
 * p ← p − η·(g + μ·b).
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
  public void update(final double[] p, final double[] g, final int from, final int to,
      final boolean decay, final double[] state, final double[] nextState, final int size,
      final double[] next) {
    Optimizer.addWeightDecay(g, p, from, to, decay ? weightDecay : 0.0);
    // the first buffer is the gradient (the state starts at 0), then b ← μ·b + g; the step is
    // a·g + c·b: b for momentum, g + μ·b for Nesterov
    final double keep = first ? 0.0 : momentum;
    final double a = nesterov ? 1.0 : 0.0;
    final double c = nesterov ? momentum : 1.0;
    for (int i = from; i < to; i++) {
      final double buffer = keep * state[1 + i] + g[i];
      nextState[1 + i] = buffer;
      next[i] = p[i] - lr * (a * g[i] + c * buffer);
    }
  }
}
