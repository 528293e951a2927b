package io.gradstream.learn;

/**
 * The learning rule of PRODUCT.md for one neuron: validate the event, forward pass with the weights
 * before the step, backward pass by the chain rule, then the SGD step, all in place and without
 * allocation. Streaming and {@code replay} both call {@link #learn} once per event, which is what
 * makes their weights bit-identical.
 */
public final class Neuron {
  private final ModelSpec spec;
  private final Activation f;
  private final double eta;

  public Neuron(final ModelSpec spec) {
    this.spec = spec;
    this.f = spec.activation();
    this.eta = spec.learningRate();
  }

  public ModelSpec spec() {
    return spec;
  }

  /** A model that has seen nothing yet. */
  public Model newModel() {
    return Model.initial(spec);
  }

  /**
   * Checks the event, and if it is valid takes one SGD step on {@code model}. An event that is not
   * {@link Outcome#TRAINED} changes nothing in the model.
   */
  public Outcome learn(final Model model, final double[] x, final double d, final StepResult out) {
    final Outcome invalid = validate(model, x, d);
    if (invalid != null) {
      return invalid;
    }
    return step(model, x, d, out);
  }

  private static Outcome validate(final Model model, final double[] x, final double d) {
    if (x.length != model.features()) {
      return Outcome.WRONG_FEATURE_COUNT;
    }
    for (final double xi : x) {
      if (!Double.isFinite(xi)) {
        return Outcome.NON_FINITE_FEATURE;
      }
    }
    if (!Double.isFinite(d)) {
      return Outcome.NON_FINITE_LABEL;
    }
    return null;
  }

  private Outcome step(final Model model, final double[] x, final double d, final StepResult out) {
    final double[] w = model.weights();
    final int n = w.length;

    // forward: net = w·x + b, y = f(net), e = d − y, L = ½·e²
    double net = model.bias();
    for (int i = 0; i < n; i++) {
      net += w[i] * x[i];
    }
    final double y = f.value(net);
    final double e = d - y;
    final double loss = 0.5 * e * e;

    // backward: ∂L/∂net = ∂L/∂e · ∂e/∂y · ∂y/∂net = e · (−1) · f'(net)
    final double fPrime = f.derivative(net);
    final double dLdNet = -e * fPrime;

    // ∂L/∂w = ∂L/∂net · ∂net/∂w = ∂L/∂net · x; the step is w ← w − η·∂L/∂w
    final double[] g = out.gradientBuffer(n);
    double squares = 0.0;
    boolean finite = Double.isFinite(net) && Double.isFinite(fPrime) && Double.isFinite(loss)
        && Double.isFinite(model.lossSum() + loss);
    for (int i = 0; i < n; i++) {
      final double gi = dLdNet * x[i];
      g[i] = gi;
      squares += gi * gi;
      finite &= Double.isFinite(w[i] - eta * gi);
    }
    // ∂L/∂b = ∂L/∂net · ∂net/∂b = ∂L/∂net
    final double gb = model.hasBias() ? dLdNet : 0.0;
    final double newBias = model.hasBias() ? model.bias() - eta * gb : 0.0;
    squares += gb * gb;
    final double norm = Double.isFinite(squares) ? Math.sqrt(squares) : scaledNorm(g, gb);
    // a step whose gradient norm overflows is refused too: every published number is finite
    finite &= Double.isFinite(newBias) && Double.isFinite(norm);

    out.net = net;
    out.y = y;
    out.e = e;
    out.fPrime = fPrime;
    out.loss = loss;
    out.biasGradient = gb;
    out.gradientNorm = norm;
    // the guard: a step that would leave any part of the model non-finite is not taken at all
    if (!finite) {
      return Outcome.NON_FINITE_STEP;
    }
    for (int i = 0; i < n; i++) {
      w[i] -= eta * g[i];
    }
    model.commitStep(newBias, loss);
    return Outcome.TRAINED;
  }

  /** ‖(g, gb)‖ when the plain sum of squares overflows: scaled by the largest entry first. */
  private static double scaledNorm(final double[] g, final double gb) {
    double max = Math.abs(gb);
    for (final double gi : g) {
      max = Math.max(max, Math.abs(gi));
    }
    if (!Double.isFinite(max)) {
      return max;
    }
    double squares = (gb / max) * (gb / max);
    for (final double gi : g) {
      squares += (gi / max) * (gi / max);
    }
    return max * Math.sqrt(squares);
  }
}
