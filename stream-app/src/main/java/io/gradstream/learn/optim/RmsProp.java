package io.gradstream.learn.optim;

/**
 * torch.optim.RMSprop (Hinton's lecture 6e), not centered, without momentum: g ← g + λ·p;
 * a ← α·a + (1 − α)·g²; p ← p − η·g / (√a + ε). State: a.
 */
final class RmsProp extends Optimizer {
  private final double alpha;
  private final double epsilon;

  RmsProp(final double alpha, final double epsilon, final double weightDecay) {
    super(weightDecay);
    this.alpha = alpha;
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
    final int a = buffers.slot(0);
    for (int i = from; i < to; i++) {
      final double grad = g[i];
      final double average = alpha * state[a + i] + (1.0 - alpha) * (grad * grad);
      nextState[a + i] = average;
      next[i] = p[i] - lr * (grad / (Math.sqrt(average) + epsilon));
    }
  }
}
