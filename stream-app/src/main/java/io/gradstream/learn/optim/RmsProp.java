package io.gradstream.learn.optim;

/**
 * torch.optim.RMSprop (Hinton's lecture 6e), not centered, without momentum: g ← g + λ·p;
 * a ← α·a + (1 − α)·g²; p ← p − η·g / (√a + ε). State: a.
 */
final class RmsProp implements Optimizer {
  private final double alpha;
  private final double epsilon;
  private final double weightDecay;
  private double lr;

  RmsProp(final double alpha, final double epsilon, final double weightDecay) {
    this.alpha = alpha;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  @Override
  public int slots() {
    return 1;
  }

  @Override
  public void begin(final long t, final double lr) {
    this.lr = lr;
  }

  @Override
  public void update(final double[] p, final double[] g, final int from, final int to,
      final boolean decay, final double[] state, final double[] nextState, final int size,
      final double[] next) {
    Optimizer.addWeightDecay(g, p, from, to, decay ? weightDecay : 0.0);
    for (int i = from; i < to; i++) {
      final double grad = g[i];
      final double average = alpha * state[1 + i] + (1.0 - alpha) * (grad * grad);
      nextState[1 + i] = average;
      next[i] = p[i] - lr * (grad / (Math.sqrt(average) + epsilon));
    }
  }
}
