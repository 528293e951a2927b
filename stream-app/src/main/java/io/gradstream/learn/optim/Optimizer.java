package io.gradstream.learn.optim;

/**
 * One optimizer's rule, written once over plain arrays as {@code torch.optim}'s functional forms
 * write it. It keeps no model's state: a model's state ({@link #slots()} doubles per parameter:
 * moments, accumulators) lives in the model and is handed in, so one instance serves every model of
 * a stream thread. The state is laid out slot by slot: after the optimizer's step count at index 0,
 * slot k of parameter i is at {@code 1 + k·size + i}, so that each loop runs over contiguous arrays
 * and the JIT can vectorize it.
 */
public interface Optimizer {
  /** State doubles per parameter; 0 for plain SGD, which keeps none. */
  int slots();

  /**
   * Starts a step: what is shared by every parameter of it.
   *
   * @param t the optimizer's step, 1 for its first
   * @param lr the learning rate of this step (after the schedule)
   */
  void begin(long t, double lr);

  /**
   * The new values of the parameters {@code from..to−1} into {@code next}, and their new state into
   * {@code nextState} at the same places as in {@code state}, so that a step the guard refuses
   * changes nothing. {@code g} is the optimizer's to change (weight decay is added into it).
   *
   * @param decay whether weight decay applies to these parameters (never to a bias)
   * @param size how many parameters the model has (the distance between slots)
   */
  void update(double[] p, double[] g, int from, int to, boolean decay, double[] state,
      double[] nextState, int size, double[] next);

  /** g ← g + λ·p over {@code from..to−1}: torch's (coupled) weight decay; nothing when λ = 0. */
  static void addWeightDecay(final double[] g, final double[] p, final int from, final int to,
      final double lambda) {
    if (lambda != 0.0) {
      for (int i = from; i < to; i++) {
        g[i] += lambda * p[i];
      }
    }
  }
}
