package io.gradstream.learn.optim;

/**
 * One optimizer's rule, written once over plain arrays as {@code torch.optim}'s functional forms
 * write it. The base owns what every rule shares: the step's learning rate and torch's (coupled)
 * weight decay, g ← g + λ·p, never on a bias. A subclass writes only its rule. It keeps no model's
 * state: a model's state ({@link OptimizerKind#slots()} doubles per parameter) lives in the model
 * and comes in {@link StepBuffers}, so one instance serves every model of a stream thread.
 */
public abstract class Optimizer {
  private final double weightDecay;
  /** η of the step begun last, after the schedule. */
  protected double lr;

  /** @param weightDecay λ of the coupled weight decay, 0 for none */
  protected Optimizer(final double weightDecay) {
    this.weightDecay = weightDecay;
  }

  /**
   * Starts a step: what is shared by every parameter of it.
   *
   * @param t the optimizer's step, 1 for its first
   * @param lr the learning rate of this step (after the schedule)
   */
  public final void begin(final long t, final double lr) {
    this.lr = lr;
    begin(t);
  }

  /**
   * What the rule shares across a step's parameters besides the rate; nothing unless overridden.
   */
  protected void begin(final long t) {}

  /**
   * The new values of the parameters {@code from..to−1} into {@link StepBuffers#next()}, and their
   * new state into {@link StepBuffers#nextState()}.
   *
   * @param decay whether weight decay applies to these parameters (never to a bias)
   */
  public final void update(final StepBuffers buffers, final int from, final int to,
      final boolean decay) {
    if (decay && weightDecay != 0.0) {
      final double[] g = buffers.gradient();
      final double[] p = buffers.parameters();
      for (int i = from; i < to; i++) {
        g[i] += weightDecay * p[i];
      }
    }
    rule(buffers, from, to, decay);
  }

  /** The optimizer's own rule over {@code from..to−1}, the gradient decayed already. */
  protected abstract void rule(StepBuffers buffers, int from, int to, boolean decay);
}
