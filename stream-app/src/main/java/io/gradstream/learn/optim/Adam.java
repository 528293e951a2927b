package io.gradstream.learn.optim;

/**
 * torch.optim.Adam (Kingma and Ba 2015) without amsgrad, and with {@code decoupled}
 * torch.optim.AdamW (Loshchilov and Hutter 2019). Adam: g ← g + λ·p; AdamW instead p ← p·(1 − η·λ)
 * first. Then m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
 * p ← p − (η / (1 − β1^t))·m / (√v / √(1 − β2^t) + ε).
 * State: m, then v.
 */
final class Adam extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  /** AdamW's λ; 0 for Adam, whose λ the base adds into the gradient. */
  private final double decoupledDecay;
  private double stepSize;
  private double inverseCorrection2Root;

  Adam(final double beta1, final double beta2, final double epsilon, final double weightDecay,
      final boolean decoupled) {
    super(decoupled ? 0.0 : weightDecay);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.decoupledDecay = decoupled ? weightDecay : 0.0;
  }

  @Override
  protected void begin(final long t) {
    stepSize = lr / (1.0 - StrictMath.pow(beta1, t));
    inverseCorrection2Root = 1.0 / Math.sqrt(1.0 - StrictMath.pow(beta2, t));
  }

  @Override
  protected void rule(final StepBuffers buffers, final int from, final int to,
      final boolean decay) {
    final double[] p = buffers.parameters();
    final double[] g = buffers.gradient();
    final double[] state = buffers.state();
    final double[] nextState = buffers.nextState();
    final double[] next = buffers.next();
    final int m = buffers.slot(0);
    final int v = buffers.slot(1);
    final double shrink = decay ? 1.0 - lr * decoupledDecay : 1.0;
    for (int i = from; i < to; i++) {
      final double grad = g[i];
      final double m1 = beta1 * state[m + i] + (1.0 - beta1) * grad;
      final double m2 = beta2 * state[v + i] + (1.0 - beta2) * (grad * grad);
      nextState[m + i] = m1;
      nextState[v + i] = m2;
      next[i] = p[i] * shrink - stepSize * (m1 / (Math.sqrt(m2) * inverseCorrection2Root
          + epsilon));
    }
  }
}
