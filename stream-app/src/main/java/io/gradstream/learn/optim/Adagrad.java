package io.gradstream.learn.optim;

/**
 * torch.optim.Adagrad (Duchi et al. 2011), no learning-rate decay, accumulator starting at 0:
 * g ← g + λ·p; s ← s + g²; p ← p − η·g / (√s + ε). State: s.
 */
final class Adagrad implements Optimizer {
  private final double epsilon;
  private final double weightDecay;
  private double lr;

  Adagrad(final double epsilon, final double weightDecay) {
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
    final double sum = state[at] + grad * grad;
    next[at] = sum;
    return p - lr * (grad / (Math.sqrt(sum) + epsilon));
  }
}
