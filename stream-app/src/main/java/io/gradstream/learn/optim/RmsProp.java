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
  public double update(final double p, final double g, final boolean decay, final double[] state,
      final double[] next, final int at) {
    final double grad = decay ? g + weightDecay * p : g;
    final double average = alpha * state[at] + (1.0 - alpha) * (grad * grad);
    next[at] = average;
    return p - lr * (grad / (Math.sqrt(average) + epsilon));
  }
}
