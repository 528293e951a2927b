package io.gradstream.learn;

import io.gradstream.learn.optim.Optimizer;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.learn.optim.StepBuffers;

/**
 * An optimizer's step over one flat list of parameters, with the learning rate schedule and
 * gradient clipping: the new parameters and optimizer state are computed aside, into {@link
 * #next()} and a state of its own, and taken only when every one is finite. The schedule counts
 * the model's steps; the optimizer (Adam's bias corrections, the first step of momentum) its own,
 * kept at the head of its state. One instance per learner, so per stream thread: its buffers are
 * scratch, grown once.
 */
final class ParameterUpdate {
  private final OptimizerSettings stepping;
  private final Optimizer optimizer;
  private final double eta;
  private final StepBuffers buffers = new StepBuffers();
  private double updateNorm;
  private int stateSize;

  ParameterUpdate(final OptimizerSettings stepping, final double eta) {
    this.stepping = stepping;
    this.optimizer = stepping.create();
    this.eta = eta;
  }

  /**
   * Computes the step; false when it would leave a parameter or the state non-finite (nothing is
   * then to be taken).
   *
   * @param current the parameters before the step, {@code size} of them
   * @param lossGradient ∂L/∂θ at {@code current}, unclipped (left as it is)
   * @param norm its L2 norm
   * @param segments the parameters in runs: [segments[0], segments[1]) takes weight decay,
   *     [segments[1], segments[2]) does not (biases), and so on alternately
   * @param state the optimizer state, its first {@code stateSize} doubles (0 for none); {@code
   *     count} the model's steps so far
   */
  boolean compute(final double[] current, final double[] lossGradient, final int size,
      final double norm, final int[] segments, final double[] state, final int stateSize,
      final long count) {
    buffers.prepare(current, state, size, stateSize);
    this.stateSize = stateSize;
    final double[] gradient = buffers.gradient();
    // ‖g‖ > c: g ← g·c/‖g‖ (no epsilon), before the optimizer sees it
    final double clip = stepping.clipNorm();
    final double scale = clip > 0.0 && norm > clip ? clip / norm : 1.0;
    for (int i = 0; i < size; i++) {
      gradient[i] = lossGradient[i] * scale;
    }
    final long t = stateSize > 0 ? (long) state[0] + 1 : count + 1;
    optimizer.begin(t, stepping.rate(eta, count + 1));
    for (int k = 0; k + 1 < segments.length; k++) {
      optimizer.update(buffers, segments[k], segments[k + 1], k % 2 == 0);
    }
    final double[] next = buffers.next();
    final double[] nextState = buffers.nextState();
    if (!Finite.all(next, 0, size) || !Finite.all(nextState, 1, stateSize)) {
      return false;
    }
    if (stateSize > 0) {
      nextState[0] = t;
    }
    // ‖Δθ‖, from halves: two finite numbers are at most 2·MAX_VALUE apart
    double m0 = 0.0;
    double m1 = 0.0;
    int i = 0;
    for (; i + 1 < size; i += 2) {
      final double h0 = 0.5 * next[i] - 0.5 * current[i];
      final double h1 = 0.5 * next[i + 1] - 0.5 * current[i + 1];
      m0 += h0 * h0;
      m1 += h1 * h1;
    }
    for (; i < size; i++) {
      final double h = 0.5 * next[i] - 0.5 * current[i];
      m0 += h * h;
    }
    updateNorm = 2.0 * Math.sqrt(m0 + m1);
    return true;
  }

  /** The new parameters of the last {@link #compute} that returned true. */
  double[] next() {
    return buffers.next();
  }

  double updateNorm() {
    return updateNorm;
  }

  /** Takes the new optimizer state of the last {@link #compute} into {@code state}. */
  void commitState(final double[] state) {
    System.arraycopy(buffers.nextState(), 0, state, 0, stateSize);
  }
}
