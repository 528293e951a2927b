package io.gradstream.learn.optim;

/**
 * torch.optim.SGD without momentum: g ← g + λ·p (weight decay λ), p ← p − η·g. Keeps no state.
 * With λ = 0 and a constant η this is the learning rule itself, which the neuron takes without an
 * optimizer.
 */
final class Sgd implements Optimizer {
  private final double weightDecay;
  private double lr;

  Sgd(final double weightDecay) {
    this.weightDecay = weightDecay;
  }

  @Override
  public int slots() {
    return 0;
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
      next[i] = p[i] - lr * g[i];
    }
  }
}
