package io.gradstream.learn.optim;

/**
 * torch.optim.Adam (Kingma and Ba 2015) without amsgrad, and with {@code decoupled}
 * torch.optim.AdamW (Loshchilov and Hutter 2019). Adam: g ← g + λ·p; AdamW instead p ← p·(1 − η·λ)
 * first. Then m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
 * p ← p − (η / (1 − β1^t))·m / (√v / √(1 − β2^t) + ε).
 * State: m, then v.
 */
final class Adam implements Optimizer {
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final boolean decoupled;
  private double lr;
  private double stepSize;
  private double inverseCorrection2Root;

  Adam(final double beta1, final double beta2, final double epsilon, final double weightDecay,
      final boolean decoupled) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
  }

  @Override
  public int slots() {
    return 2;
  }

  @Override
  public void begin(final long t, final double lr) {
    this.lr = lr;
    stepSize = lr / (1.0 - StrictMath.pow(beta1, t));
    inverseCorrection2Root = 1.0 / Math.sqrt(1.0 - StrictMath.pow(beta2, t));
  }

  @Override
  public void update(final double[] p, final double[] g, final int from, final int to,
      final boolean decay, final double[] state, final double[] nextState, final int size,
      final double[] next) {
    Optimizer.addWeightDecay(g, p, from, to, decay && !decoupled ? weightDecay : 0.0);
    final double shrink = decay && decoupled ? 1.0 - lr * weightDecay : 1.0;
    final int v = 1 + size;
    for (int i = from; i < to; i++) {
      final double grad = g[i];
      final double m1 = beta1 * state[1 + i] + (1.0 - beta1) * grad;
      final double m2 = beta2 * state[v + i] + (1.0 - beta2) * (grad * grad);
      nextState[1 + i] = m1;
      nextState[v + i] = m2;
      next[i] = p[i] * shrink - stepSize * (m1 / (Math.sqrt(m2) * inverseCorrection2Root
          + epsilon));
    }
  }
}
