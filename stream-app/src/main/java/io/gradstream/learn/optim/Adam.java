package io.gradstream.learn.optim;

/**
 * torch.optim.Adam (Kingma and Ba 2015) without amsgrad, and with {@code decoupled} torch.optim.AdamW
 * (Loshchilov and Hutter 2019). Adam: g ← g + λ·p; AdamW instead p ← p·(1 − η·λ) first. Then
 * m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; p ← p − (η / (1 − β1^t))·m / (√v / √(1 − β2^t) + ε).
 * State: m, v.
 */
final class Adam implements Optimizer {
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final boolean decoupled;
  private double lr;
  private double stepSize;
  private double correction2Root;

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
    correction2Root = Math.sqrt(1.0 - StrictMath.pow(beta2, t));
  }

  @Override
  public double update(final double p, final double g, final boolean decay, final double[] state,
      final double[] next, final int at) {
    double param = p;
    double grad = g;
    if (decay && decoupled) {
      param = p * (1.0 - lr * weightDecay);
    } else if (decay) {
      grad = g + weightDecay * p;
    }
    final double m = beta1 * state[at] + (1.0 - beta1) * grad;
    final double v = beta2 * state[at + 1] + (1.0 - beta2) * (grad * grad);
    next[at] = m;
    next[at + 1] = v;
    return param - stepSize * (m / (Math.sqrt(v) / correction2Root + epsilon));
  }
}
