package io.gradstream.learn;

import io.gradstream.learn.features.HashedVector;

/**
 * One neuron over hashed inputs: y = f(Σ w_c·x_c + b) over the few coordinates c an event has, and
 * a step that changes only those and the bias. That is exactly the step of the same neuron on the
 * dense vector of 2^B coordinates for the optimizers whose update at a zero gradient is no update:
 * SGD, AdaGrad and FTRL, without weight decay; {@link ModelSpec} refuses the others (momentum,
 * RMSprop, Adam move every coordinate at every step) rather than replace them by a lazy variant
 * that would give other numbers. The event's parameters and their optimizer state are gathered
 * into compact arrays, stepped by the same optimizer code as a dense model's, and scattered back.
 * One instance per thread: its arrays are scratch.
 */
public final class HashedNeuron {
  private final ModelSpec spec;
  private final Activation f;
  private final Loss lossFunction;
  private final ParameterUpdate update;
  private final int stateSlots;
  private final int[] segments = new int[3];
  private int[] slots = new int[0];
  private double[] current = new double[0];
  private double[] gradient = new double[0];
  private double[] state = new double[0];

  /** @param spec a spec with hashed inputs, which checked its optimizer */
  public HashedNeuron(final ModelSpec spec) {
    if (spec.hashBits() == 0) {
      throw new IllegalArgumentException("a hashed neuron needs a spec with hashed inputs");
    }
    this.spec = spec;
    this.f = spec.activation();
    this.lossFunction = spec.loss();
    this.update = new ParameterUpdate(spec.optimizer(), spec.learningRate());
    this.stateSlots = spec.optimizer().kind().slots();
  }

  public ModelSpec spec() {
    return spec;
  }

  /** A model that has seen nothing. */
  public Model newModel() {
    return Model.initial(spec);
  }

  /** y with the model as it is, into {@code out.net} and {@code out.y}; nothing changes. */
  public Verdict predict(final Model model, final HashedVector x, final StepResult out) {
    final double net = net(model, x);
    if (!Double.isFinite(net)) {
      return finite(x) ? Verdict.NON_FINITE_PREDICTION : Verdict.NON_FINITE_FEATURE;
    }
    out.net = net;
    out.y = f.value(net);
    return Verdict.PREDICTED;
  }

  /**
   * Checks the event, and if it is valid takes one step on {@code model}. An event that is not
   * {@link Verdict#TRAINED} changes nothing in the model. {@code x} is canonical (see {@link
   * HashedVector#canonical()}): its coordinates distinct and sorted.
   */
  public Verdict learn(final Model model, final HashedVector x, final double d,
      final StepResult out) {
    final double net = net(model, x);
    if (!Double.isFinite(net) && !finite(x)) {
      return Verdict.NON_FINITE_FEATURE;
    }
    if (!Double.isFinite(d)) {
      return Verdict.NON_FINITE_LABEL;
    }
    if (!lossFunction.accepts(d)) {
      return Verdict.LABEL_OUT_OF_RANGE;
    }
    final double y = f.value(net);
    final double loss = lossFunction.value(net, y, d);
    final double fPrime = f.derivative(net, y);
    final double dLdNet = lossFunction.slope(net, y, fPrime, d);

    // gather: the event's weights (0 where untouched), ∂L/∂w_c = ∂L/∂net · x_c, then the bias
    final int k = x.size();
    final int size = k + (model.hasBias() ? 1 : 0);
    grow(size);
    final SparseWeights w = model.sparse();
    final double[] g = out.gradientBuffer(k);
    double squares = 0.0;
    for (int i = 0; i < k; i++) {
      slots[i] = w.slot(x.coordinate(i));
      current[i] = slots[i] < 0 ? 0.0 : w.weight(slots[i]);
      g[i] = dLdNet * x.value(i);
      gradient[i] = g[i];
      squares += g[i] * g[i];
    }
    final double gb = model.hasBias() ? dLdNet : 0.0;
    if (model.hasBias()) {
      current[k] = model.bias();
      gradient[k] = gb;
    }
    squares += gb * gb;
    final double norm =
        Double.isFinite(squares) ? Math.sqrt(squares) : Finite.scaledNorm(g, 0, k, gb);
    out.net = net;
    out.y = y;
    out.e = d - y;
    out.fPrime = fPrime;
    out.loss = loss;
    out.biasGradient = gb;
    out.gradientNorm = norm;
    if (!Double.isFinite(net) || !Double.isFinite(fPrime) || !Double.isFinite(loss)
        || !Double.isFinite(model.lossSum() + loss) || !Double.isFinite(norm)) {
      return Verdict.NON_FINITE_STEP;
    }
    // the optimizer's state in its own layout: its step count, then slot by slot
    final int stateSize = stateSlots == 0 ? 0 : 1 + stateSlots * size;
    final double[] head = model.optimizerState();
    if (stateSize > 0) {
      state[0] = head[0];
      for (int s = 0; s < stateSlots; s++) {
        final int at = 1 + s * size;
        for (int i = 0; i < k; i++) {
          state[at + i] = slots[i] < 0 ? 0.0 : w.state(slots[i], s);
        }
        if (model.hasBias()) {
          state[at + k] = head[1 + s];
        }
      }
    }
    segments[1] = k;
    segments[2] = size;
    if (!update.compute(current, gradient, size, norm, segments, state, stateSize,
        model.count())) {
      return Verdict.NON_FINITE_STEP;
    }
    // scatter: the new values, and a slot for each coordinate the model had not touched
    final double[] next = update.next();
    update.commitState(state);
    for (int i = 0; i < k; i++) {
      final int slot = slots[i] < 0 ? w.slotOrAdd(x.coordinate(i)) : slots[i];
      w.setWeight(slot, next[i]);
      for (int s = 0; s < stateSlots; s++) {
        w.setState(slot, s, state[1 + s * size + i]);
      }
    }
    if (stateSize > 0) {
      head[0] = state[0];
    }
    for (int s = 0; s < stateSlots && model.hasBias(); s++) {
      head[1 + s] = state[1 + s * size + k];
    }
    out.updateNorm = update.updateNorm();
    model.commitStep(model.hasBias() ? next[k] : 0.0, loss);
    return Verdict.TRAINED;
  }

  private void grow(final int size) {
    if (current.length < size) {
      slots = new int[size];
      current = new double[size];
      gradient = new double[size];
      state = new double[1 + Math.max(1, stateSlots) * size];
    }
  }

  /** b + Σ w_c·x_c over the event's coordinates, in their order. */
  private static double net(final Model model, final HashedVector x) {
    final SparseWeights w = model.sparse();
    double s = model.bias();
    for (int i = 0; i < x.size(); i++) {
      s += w.weightAt(x.coordinate(i)) * x.value(i);
    }
    return s;
  }

  private static boolean finite(final HashedVector x) {
    for (int i = 0; i < x.size(); i++) {
      if (!Double.isFinite(x.value(i))) {
        return false;
      }
    }
    return true;
  }
}
