package io.gradstream.learn.optim;

/**
 * One optimizer's rule for one parameter at a time, as {@code torch.optim}'s functional forms write
 * it once over plain buffers. It keeps no model's state: the state of each parameter ({@link
 * #slots()} doubles: moments, accumulators) lives in the model and is handed in, so one instance
 * serves every model of a stream thread. Every rule here is per coordinate; {@link #begin} takes
 * what is shared by all coordinates of one step (the learning rate, bias corrections).
 */
public interface Optimizer {
  /** State doubles per parameter; 0 for plain SGD, which keeps none. */
  int slots();

  /**
   * Starts a step.
   *
   * @param t the optimizer's step, 1 for its first
   * @param lr the learning rate of this step (after the schedule)
   */
  void begin(long t, double lr);

  /**
   * The parameter's new value. Reads its state at {@code state[at..at + slots)} and writes the new
   * state to the same places of {@code next}, so that a step the guard refuses changes nothing.
   *
   * @param decay whether weight decay applies (never to a bias)
   */
  double update(double p, double g, boolean decay, double[] state, double[] next, int at);
}
