package io.gradstream.learn;

import io.gradstream.learn.optim.OptimizerSettings;

/**
 * The learning rule for one neuron: validate the event, forward pass with the weights before the
 * step, backward pass by the chain rule, then the step (plain SGD, or the optimizer's), all in
 * place and without allocation. Streaming and {@code replay} both call {@link #learn} once per
 * event, which is what makes their weights bit-identical.
 */
public final class Neuron implements Learner {
  private final ModelSpec spec;
  private final Activation f;
  private final Loss lossFunction;
  private final double eta;
  private final OptimizerSettings stepping;
  /** True for w ← w − η·∂L/∂w with nothing else, which takes the fast path below. */
  private final boolean plain;
  private final ParameterUpdate update;
  // the optimizer's view: parameters and gradient as one list (the weights, then the bias), and
  // its two runs, the weights (with weight decay) and the bias (without)
  private double[] current = new double[0];
  private double[] gradient = new double[0];
  private final int[] segments = new int[3];

  public Neuron(final ModelSpec spec) {
    this.spec = spec;
    this.f = spec.activation();
    this.lossFunction = spec.loss();
    this.eta = spec.learningRate();
    this.stepping = spec.optimizer();
    this.plain = stepping.plain();
    this.update = new ParameterUpdate(stepping, eta);
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  /**
   * y = f(w·x + b) with the model as it is, into {@code out.net} and {@code out.y}; or why there
   * is none. Nothing changes in the model. The forward pass is the one {@link #learn} takes, so a
   * prediction equals the y of a training event with the same x at the same point.
   */
  @Override
  public Verdict predict(final Model model, final double[] x, final StepResult out) {
    if (x.length != model.features()) {
      return Verdict.WRONG_FEATURE_COUNT;
    }
    final double net = dot(model.bias(), model.weights(), x);
    if (!Double.isFinite(net)) {
      return Finite.all(x, 0, x.length) ? Verdict.NON_FINITE_PREDICTION
          : Verdict.NON_FINITE_FEATURE;
    }
    out.net = net;
    out.y = f.value(net);
    return Verdict.PREDICTED;
  }

  /**
   * Checks the event, and if it is valid takes one SGD step on {@code model}. An event that is not
   * {@link Verdict#TRAINED} changes nothing in the model.
   */
  @Override
  public Verdict learn(final Model model, final double[] x, final double d, final StepResult out) {
    final double[] w = model.weights();
    final int n = w.length;
    if (x.length != n) {
      return Verdict.WRONG_FEATURE_COUNT;
    }

    // forward: net = w·x + b, y = f(net), e = d − y, L (½·e² for the squared loss)
    final double net = dot(model.bias(), w, x);
    // a non-finite x makes net non-finite (x·w is NaN or ±∞ for any w), so x is only searched
    // for one when net is not finite
    if (!Double.isFinite(net) && !Finite.all(x, 0, x.length)) {
      return Verdict.NON_FINITE_FEATURE;
    }
    final Verdict refused = refusedLabel(d);
    if (refused != null) {
      return refused;
    }
    final double y = f.value(net);
    final double e = d - y;
    final double loss = lossFunction.value(net, y, d);

    // backward: ∂L/∂net, for the squared loss ∂L/∂e · ∂e/∂y · ∂y/∂net = e · (−1) · f'(net)
    final double fPrime = f.derivative(net, y);
    final double dLdNet = lossFunction.slope(net, y, fPrime, d);

    // ∂L/∂w = ∂L/∂net · ∂net/∂w = ∂L/∂net · x; the step will be w ← w − η·∂L/∂w.
    // Four lanes each for Σg² and for the probe keep the adds independent, so a large n runs at
    // the CPU's throughput instead of its add latency. The probe sums (u − u) over the new
    // weights u: 0 when every one is finite, NaN as soon as one is not.
    final double[] g = out.gradientBuffer(n);
    double q0 = 0.0;
    double q1 = 0.0;
    double q2 = 0.0;
    double q3 = 0.0;
    double p0 = 0.0;
    double p1 = 0.0;
    double p2 = 0.0;
    double p3 = 0.0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      final double g0 = dLdNet * x[i];
      final double g1 = dLdNet * x[i + 1];
      final double g2 = dLdNet * x[i + 2];
      final double g3 = dLdNet * x[i + 3];
      g[i] = g0;
      g[i + 1] = g1;
      g[i + 2] = g2;
      g[i + 3] = g3;
      q0 += g0 * g0;
      q1 += g1 * g1;
      q2 += g2 * g2;
      q3 += g3 * g3;
      final double u0 = w[i] - eta * g0;
      final double u1 = w[i + 1] - eta * g1;
      final double u2 = w[i + 2] - eta * g2;
      final double u3 = w[i + 3] - eta * g3;
      p0 += u0 - u0;
      p1 += u1 - u1;
      p2 += u2 - u2;
      p3 += u3 - u3;
    }
    for (; i < n; i++) {
      final double gi = dLdNet * x[i];
      g[i] = gi;
      q0 += gi * gi;
      final double ui = w[i] - eta * gi;
      p0 += ui - ui;
    }
    // ∂L/∂b = ∂L/∂net · ∂net/∂b = ∂L/∂net
    final double gb = model.hasBias() ? dLdNet : 0.0;
    final double newBias = model.hasBias() ? model.bias() - eta * gb : 0.0;
    final double squares = ((q0 + q1) + (q2 + q3)) + gb * gb;
    final double norm =
        Double.isFinite(squares) ? Math.sqrt(squares) : Finite.scaledNorm(g, 0, n, gb);
    // a step whose gradient norm overflows is refused too: every published number is finite
    final boolean published = Double.isFinite(net) && Double.isFinite(fPrime)
        && Double.isFinite(loss) && Double.isFinite(model.lossSum() + loss)
        && Double.isFinite(norm);

    out.net = net;
    out.y = y;
    out.e = e;
    out.fPrime = fPrime;
    out.loss = loss;
    out.biasGradient = gb;
    out.gradientNorm = norm;
    if (!plain) {
      return published ? optimizerStep(model, g, gb, norm, loss, out) : Verdict.NON_FINITE_STEP;
    }
    // the guard: a step that would leave any part of the model non-finite is not taken at all
    if (!published || ((p0 + p1) + (p2 + p3)) != 0.0 || !Double.isFinite(newBias)) {
      return Verdict.NON_FINITE_STEP;
    }
    for (int j = 0; j < n; j++) {
      w[j] -= eta * g[j];
    }
    out.updateNorm = eta * norm;
    model.commitStep(newBias, loss);
    return Verdict.TRAINED;
  }

  /** The optimizer's step over the weights and then the bias, which takes no weight decay. */
  private Verdict optimizerStep(final Model model, final double[] g, final double gb,
      final double norm, final double loss, final StepResult out) {
    final double[] w = model.weights();
    final int n = w.length;
    final int size = n + (model.hasBias() ? 1 : 0);
    if (current.length < size) {
      current = new double[size];
      gradient = new double[size];
    }
    System.arraycopy(w, 0, current, 0, n);
    System.arraycopy(g, 0, gradient, 0, n);
    if (model.hasBias()) {
      current[n] = model.bias();
      gradient[n] = gb;
    }
    segments[1] = n;
    segments[2] = size;
    if (!update.compute(current, gradient, size, norm, segments, model.optimizerState(),
        model.optimizerState().length, model.count())) {
      return Verdict.NON_FINITE_STEP;
    }
    final double[] next = update.next();
    out.updateNorm = update.updateNorm();
    System.arraycopy(next, 0, w, 0, n);
    update.commitState(model.optimizerState());
    model.commitStep(model.hasBias() ? next[n] : 0.0, loss);
    return Verdict.TRAINED;
  }

  /**
   * b + w·x. From four features on, in four independent partial sums (see the gradient loop)
   * added pairwise; below that, b first and then each product in turn, so that one feature is one
   * multiply and one add on the path from one step's weights to the next step's.
   */
  private static double dot(final double b, final double[] w, final double[] x) {
    final int n = w.length;
    if (n < 4) {
      double s = b;
      for (int i = 0; i < n; i++) {
        s += w[i] * x[i];
      }
      return s;
    }
    double s0 = b;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += w[i] * x[i];
      s1 += w[i + 1] * x[i + 1];
      s2 += w[i + 2] * x[i + 2];
      s3 += w[i + 3] * x[i + 3];
    }
    for (; i < n; i++) {
      s0 += w[i] * x[i];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
