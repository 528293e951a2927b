package io.gradstream.learn.optim;

/**
 * torch.optim.Adagrad (Duchi et al. 2011), no learning-rate decay, accumulator starting at 0:
 * g ← g + λ·p; s ← s + g²; p ← p − η·g / (√s + ε). State: s.
 */
final class Adagrad extends Optimizer {
  private final double epsilon;

  Adagrad(final double epsilon, final double weightDecay) {
    super(weightDecay);
    this.epsilon = epsilon;
  }

  @Override
  protected void rule(final StepBuffers buffers, final int from, final int to,
      final boolean decay) {
    final double[] p = buffers.parameters();
    final double[] g = buffers.gradient();
    final double[] state = buffers.state();
    final double[] nextState = buffers.nextState();
    final double[] next = buffers.next();
    final int s = buffers.slot(0);
    for (int i = from; i < to; i++) {
      final double grad = g[i];
      final double sum = state[s + i] + grad * grad;
      nextState[s + i] = sum;
      next[i] = p[i] - lr * (grad / (Math.sqrt(sum) + epsilon));
    }
  }
}
