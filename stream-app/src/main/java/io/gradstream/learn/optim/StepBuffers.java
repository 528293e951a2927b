package io.gradstream.learn.optim;

/**
 * The arrays an optimizer's step reads and writes: a model's parameters and optimizer state, and
 * the scratch the step writes into (the gradient it may change, the new parameters, the new state),
 * so that a step the guard refuses changes nothing of the model. One per learner, so per stream
 * thread: the scratch grows to the largest model once and is reused, and an event allocates
 * nothing. The state is laid out slot by slot: after the optimizer's step count at index 0, slot k
 * of parameter i is at {@code slot(k) + i}, so that each loop runs over contiguous arrays and the
 * JIT can vectorize it.
 */
public final class StepBuffers {
  private double[] parameters = new double[0];
  private double[] state = new double[0];
  private double[] gradient = new double[0];
  private double[] next = new double[0];
  private double[] nextState = new double[0];
  private int size;

  /**
   * Points the buffers at a model's first {@code size} parameters and the first {@code stateSize}
   * doubles of its optimizer state.
   */
  public void prepare(final double[] parameters, final double[] state, final int size,
      final int stateSize) {
    if (next.length < size) {
      gradient = new double[size];
      next = new double[size];
    }
    if (nextState.length < stateSize) {
      nextState = new double[stateSize];
    }
    this.parameters = parameters;
    this.state = state;
    this.size = size;
  }

  /** The parameters before the step. */
  public double[] parameters() {
    return parameters;
  }

  /** The model's optimizer state before the step. */
  public double[] state() {
    return state;
  }

  /** The gradient the optimizer steps along; its own to change (weight decay is added into it). */
  public double[] gradient() {
    return gradient;
  }

  /** Where the new parameters go. */
  public double[] next() {
    return next;
  }

  /** Where the new state goes, at the same places as in {@link #state()}. */
  public double[] nextState() {
    return nextState;
  }

  /** Where slot k (0 for the first moment, ...) of parameter 0 is in the state. */
  public int slot(final int k) {
    return 1 + k * size;
  }
}
