package io.gradstream.learn.optim;

/**
 * torch.optim.SGD without momentum: g ← g + λ·p (weight decay λ), p ← p − η·g. Keeps no state.
 * With λ = 0 and a constant η this is the learning rule itself, which the neuron takes without an
 * optimizer.
 */
final class Sgd extends Optimizer {
  Sgd(final double weightDecay) {
    super(weightDecay);
  }

  @Override
  protected void rule(final StepBuffers buffers, final int from, final int to,
      final boolean decay) {
    final double[] p = buffers.parameters();
    final double[] g = buffers.gradient();
    final double[] next = buffers.next();
    for (int i = from; i < to; i++) {
      next[i] = p[i] - lr * g[i];
    }
  }
}
