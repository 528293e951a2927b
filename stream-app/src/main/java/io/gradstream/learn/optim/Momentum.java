package io.gradstream.learn.optim;

/**
 * torch.optim.SGD with momentum μ and dampening 0 (Sutskever et al. 2013): g ← g + λ·p;
 * b ← g at the first step, else b ← μ·b + g; then p ← p − η·b, or with Nesterov
 * p ← p − η·(g + μ·b).
 * State: b.
 */
final class Momentum extends Optimizer {
  private final double momentum;
  private final boolean nesterov;
  private boolean first;

  Momentum(final double momentum, final boolean nesterov, final double weightDecay) {
    super(weightDecay);
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  @Override
  protected void begin(final long t) {
    this.first = t == 1;
  }

  @Override
  protected void rule(final StepBuffers buffers, final int from, final int to,
      final boolean decay) {
    final double[] p = buffers.parameters();
    final double[] g = buffers.gradient();
    final double[] state = buffers.state();
    final double[] nextState = buffers.nextState();
    final double[] next = buffers.next();
    final int b = buffers.slot(0);
    // the first buffer is the gradient (the state starts at 0), then b ← μ·b + g; the step is
    // a·g + c·b: b for momentum, g + μ·b for Nesterov
    final double keep = first ? 0.0 : momentum;
    final double a = nesterov ? 1.0 : 0.0;
    final double c = nesterov ? momentum : 1.0;
    for (int i = from; i < to; i++) {
      final double buffer = keep * state[b + i] + g[i];
      nextState[b + i] = buffer;
      next[i] = p[i] - lr * (a * g[i] + c * buffer);
    }
  }
}
