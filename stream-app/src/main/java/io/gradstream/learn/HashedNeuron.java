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
public final class HashedNeuron implements HashedLearner {
  private final ModelSpec spec;
  private final Activation f;
  private final Loss lossFunction;
  private final ParameterUpdate update;
  /** True for w ← w − η·∂L/∂w with nothing else, which takes a fast path. */
  private final boolean plain;
  private final double eta;
  private final int stateSlots;
  private final int maxCoordinates;
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
    this.plain = spec.optimizer().plain();
    this.eta = spec.learningRate();
    this.maxCoordinates = spec.hashing().maxCoordinates();
    this.stateSlots = spec.optimizer().kind().slots();
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  /** A model that has seen nothing. */
  @Override
  public Model newModel() {
    return Model.initial(spec);
  }

  /** y with the model as it is, into {@code out.net} and {@code out.y}; nothing changes. */
  @Override
  public Verdict predict(final Model model, final HashedVector x, final StepResult out) {
    final double net = gather(model, x);
    if (!Double.isFinite(net)) {
      return x.allFinite() ? Verdict.NON_FINITE_PREDICTION : Verdict.NON_FINITE_FEATURE;
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
  @Override
  public Verdict learn(final Model model, final HashedVector x, final double d,
      final StepResult out) {
    final double net = gather(model, x);
    if (!Double.isFinite(net) && !x.allFinite()) {
      return Verdict.NON_FINITE_FEATURE;
    }
    final Verdict refused = Learner.refusedLabel(lossFunction, d);
    if (refused != null) {
      return refused;
    }
    if (model.sparse().size() + untouched(x.size()) > maxCoordinates) {
      return Verdict.MODEL_FULL;
    }
    final double y = f.value(net);
    final double loss = lossFunction.value(net, y, d);
    final double fPrime = f.derivative(net, y);
    final double dLdNet = lossFunction.slope(net, y, fPrime, d);

    // ∂L/∂w_c = ∂L/∂net · x_c over the gathered weights, then the bias's ∂L/∂net
    final int k = x.size();
    final int size = k + (model.hasBias() ? 1 : 0);
    double squares = 0.0;
    for (int i = 0; i < k; i++) {
      final double gi = dLdNet * x.value(i);
      gradient[i] = gi;
      squares += gi * gi;
    }
    final double gb = model.hasBias() ? dLdNet : 0.0;
    if (model.hasBias()) {
      current[k] = model.bias();
      gradient[k] = gb;
    }
    squares += gb * gb;
    final double norm =
        Double.isFinite(squares) ? Math.sqrt(squares) : Finite.scaledNorm(gradient, 0, k, gb);
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
    final SparseWeights w = model.sparse();
    if (plain) {
      return plainStep(model, w, x, loss, norm, out);
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

  /**
   * w ← w − η·∂L/∂w and nothing else, as the dense neuron's own fast path takes it, with the same
   * guard: a step that would leave a weight or the bias non-finite is not taken.
   */
  private Verdict plainStep(final Model model, final SparseWeights w, final HashedVector x,
      final double loss, final double norm, final StepResult out) {
    final int k = x.size();
    for (int i = 0; i < k; i++) {
      current[i] -= eta * gradient[i];
      if (!Double.isFinite(current[i])) {
        return Verdict.NON_FINITE_STEP;
      }
    }
    final double newBias = model.hasBias() ? model.bias() - eta * gradient[k] : 0.0;
    if (!Double.isFinite(newBias)) {
      return Verdict.NON_FINITE_STEP;
    }
    for (int i = 0; i < k; i++) {
      w.setWeight(slots[i] < 0 ? w.slotOrAdd(x.coordinate(i)) : slots[i], current[i]);
    }
    out.updateNorm = eta * norm;
    model.commitStep(newBias, loss);
    return Verdict.TRAINED;
  }

  /**
   * Finds the event's coordinates' slots and weights (0 where untouched) into the scratch, once
   * per event, and returns b + Σ w_c·x_c in the coordinates' order.
   */
  private double gather(final Model model, final HashedVector x) {
    final int k = x.size();
    grow(k + 1);
    final SparseWeights w = model.sparse();
    double net = model.bias();
    for (int i = 0; i < k; i++) {
      final int slot = w.slot(x.coordinate(i));
      slots[i] = slot;
      current[i] = slot < 0 ? 0.0 : w.weight(slot);
      net += current[i] * x.value(i);
    }
    return net;
  }

  /** How many of the gathered coordinates the model has not touched yet. */
  private int untouched(final int k) {
    int n = 0;
    for (int i = 0; i < k; i++) {
      if (slots[i] < 0) {
        n++;
      }
    }
    return n;
  }

  private void grow(final int size) {
    if (current.length < size) {
      slots = new int[size];
      current = new double[size];
      gradient = new double[size];
      state = new double[1 + Math.max(1, stateSlots) * size];
    }
  }
}
