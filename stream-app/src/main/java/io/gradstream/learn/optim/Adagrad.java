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
  public void update(final double[] p, final double[] g, final int from, final int to,
      final boolean decay, final double[] state, final double[] nextState, final int size,
      final double[] next) {
    Optimizer.addWeightDecay(g, p, from, to, decay ? weightDecay : 0.0);
    for (int i = from; i < to; i++) {
      final double grad = g[i];
      final double sum = state[1 + i] + grad * grad;
      nextState[1 + i] = sum;
      next[i] = p[i] - lr * (grad / (Math.sqrt(sum) + epsilon));
    }
  }
}
