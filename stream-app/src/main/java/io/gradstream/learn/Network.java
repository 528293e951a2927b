package io.gradstream.learn;

/**
 * The learning rule through hidden layers: forward layer by layer from the input, z_l = W_l·a_(l−1)
 * + b_l and a_l = g(z_l) (the output unit's f, the hidden units' activation otherwise); then the
 * chain rule backward from the output, δ_L = ∂L/∂net, ∂L/∂W_l = δ_l·a_(l−1)ᵀ, ∂L/∂b_l = δ_l,
 * δ_(l−1) = g'(z_(l−1)) ⊙ W_lᵀ·δ_l (with the weights before the step); then the optimizer's step
 * over every parameter, weight decay on the weights only. In place and without allocation: one
 * instance per thread keeps the activations and the gradient.
 *
 * <p>A multi-class model ({@link ModelSpec#classes()}) is a network whose output layer has K
 * units, with or without hidden layers: its scores z_L go through a {@link Softmax}, L = −ln p_d,
 * and δ_L = p − onehot(d); the chain rule below it is the same.
 */
public final class Network implements Learner {
  private final ModelSpec spec;
  private final Layers layers;
  private final Activation output;
  private final Activation hidden;
  private final Loss lossFunction;
  /** The classes of a multi-class model; null for one output unit. */
  private final Classes classes;
  /** The output layer's scores z_L, then their softmax, then ∂L/∂z_L: K each. */
  private final double[] scores;
  private final double[] slope;
  private final ParameterUpdate update;
  /** True for θ ← θ − η·∂L/∂θ with nothing else, which takes the fast path below. */
  private final boolean plain;
  private final double eta;
  private final int depth;
  /** Where each layer's units start in {@link #a}, {@link #z} and {@link #delta}. */
  private final int[] unitsAt;
  /** The weights and the biases of each layer, alternately, as runs of the parameters. */
  private final int[] segments;
  /** Activations of every layer, the input's first (x itself). */
  private final double[] a;
  /** Pre-activations z_l (net of each unit). */
  private final double[] z;
  /** ∂L/∂z_l of every unit. */
  private final double[] delta;

  public Network(final ModelSpec spec) {
    this.spec = spec;
    this.layers = spec.layers();
    if (layers == null) {
      throw new IllegalArgumentException("a network needs hidden layers");
    }
    this.classes = spec.classes();
    this.output = classes == null ? spec.activation() : Activation.IDENTITY;
    this.scores = new double[layers.outputs()];
    this.slope = new double[layers.outputs()];
    this.hidden = spec.hidden().activation();
    this.lossFunction = spec.loss();
    this.update = new ParameterUpdate(spec.optimizer(), spec.learningRate());
    this.plain = spec.optimizer().plain();
    this.eta = spec.learningRate();
    this.depth = layers.count();
    this.unitsAt = new int[depth + 1];
    this.segments = new int[2 * depth + 1];
    for (int l = 1; l <= depth; l++) {
      unitsAt[l] = layers.unitsAt(l);
      segments[2 * l - 1] = layers.biasesAt(l);
      segments[2 * l] = layers.biasesAt(l) + layers.units(l);
    }
    this.a = new double[layers.totalUnits()];
    this.z = new double[a.length];
    this.delta = new double[a.length];
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public Verdict predict(final Model model, final double[] x, final StepResult out) {
    final Verdict refused = checkInput(model, x);
    if (refused != null) {
      return refused;
    }
    if (!forward(model.weights(), x)) {
      return Verdict.NON_FINITE_PREDICTION;
    }
    if (classes != null) {
      softmax(out);
      out.net = scores[out.label];
      out.y = out.probabilities[out.label];
      return Verdict.PREDICTED;
    }
    out.net = z[unitsAt[depth]];
    out.y = a[unitsAt[depth]];
    return Verdict.PREDICTED;
  }

  @Override
  public Verdict learn(final Model model, final double[] x, final double d, final StepResult out) {
    final Verdict refused = checkInput(model, x);
    if (refused != null) {
      return refused;
    }
    final Verdict badLabel = refusedLabel(d);
    if (badLabel != null) {
      return badLabel;
    }
    final double[] p = model.weights();
    // a non-finite pre-activation anywhere (an overflow) would be hidden by a relu's 0 or a
    // tanh's ±1, so the whole forward pass is checked, not only its output
    if (!forward(p, x)) {
      return Verdict.NON_FINITE_STEP;
    }
    final int last = unitsAt[depth];
    final double net;
    final double y;
    final double e;
    final double loss;
    final double fPrime;
    if (classes != null) {
      // y is the probability of the label's class and e what it lacks of 1, as the logistic
      // loss's y and e are for a label 1; the slope of class j is p_j − [j = d]
      final int label = (int) d;
      final double logSumExp = softmax(out);
      final double[] probabilities = out.probabilities;
      net = scores[label];
      y = probabilities[label];
      e = 1.0 - y;
      loss = Softmax.crossEntropy(scores, logSumExp, label);
      fPrime = 1.0;
      Softmax.slope(probabilities, probabilities.length, label, slope);
      System.arraycopy(slope, 0, delta, last, slope.length);
    } else {
      net = z[last];
      y = a[last];
      e = d - y;
      loss = lossFunction.value(net, y, d);
      fPrime = output.derivative(net, y);
      delta[last] = lossFunction.slope(net, y, fPrime, d);
    }

    final double[] g = out.gradientBuffer(p.length);
    final double[] layerNorms = out.layerNormsBuffer(depth);
    double squares = 0.0;
    for (int l = depth; l >= 1; l--) {
      backward(l, p, g);
      final double layerSquares = squares(g, layers.weightsAt(l), segments[2 * l]);
      layerNorms[l - 1] = Double.isFinite(layerSquares) ? Math.sqrt(layerSquares)
          : Finite.scaledNorm(g, layers.weightsAt(l), segments[2 * l], 0.0);
      squares += layerSquares;
    }
    final double norm = Double.isFinite(squares) ? Math.sqrt(squares)
        : Finite.scaledNorm(g, 0, p.length, 0.0);

    out.net = net;
    out.y = y;
    out.e = e;
    out.fPrime = fPrime;
    out.loss = loss;
    out.biasGradient = 0.0;
    out.gradientNorm = norm;
    out.activations = a;
    out.hiddenFrom = layers.inputs();
    // a step whose gradient norm overflows is refused too: every published number is finite
    final boolean published = Double.isFinite(fPrime) && Double.isFinite(loss)
        && Double.isFinite(model.lossSum() + loss) && Double.isFinite(norm);
    if (!published) {
      return Verdict.NON_FINITE_STEP;
    }
    if (plain) {
      // the values the optimizer's SGD would compute, without its copies: checked, then taken
      if (!Finite.all(p, g, eta)) {
        return Verdict.NON_FINITE_STEP;
      }
      for (int k = 0; k < p.length; k++) {
        p[k] -= eta * g[k];
      }
      out.updateNorm = eta * norm;
    } else {
      if (!update.compute(p, g, p.length, norm, segments, model.optimizerState(),
          model.optimizerState().length, model.count())) {
        return Verdict.NON_FINITE_STEP;
      }
      out.updateNorm = update.updateNorm();
      System.arraycopy(update.next(), 0, p, 0, p.length);
      update.commitState(model.optimizerState());
    }
    model.commitStep(0.0, loss);
    return Verdict.TRAINED;
  }

  /**
   * The softmax of the output layer's scores (after {@link #forward}) and the class of the largest
   * into {@code out}; the log-sum-exp of the scores.
   */
  private double softmax(final StepResult out) {
    final double[] p = out.probabilitiesBuffer(scores.length);
    final double logSumExp = Softmax.probabilities(scores, scores.length, p);
    out.label = Softmax.argmax(p, p.length);
    return logSumExp;
  }

  /** Why x or the model cannot go through this network, or null. */
  private Verdict checkInput(final Model model, final double[] x) {
    if (x.length != layers.inputs()) {
      return Verdict.WRONG_FEATURE_COUNT;
    }
    if (!layers.equals(model.layers())) {
      throw new IllegalArgumentException("model of shape " + model.layers()
          + " given to a network " + layers);
    }
    // checked first: a relu would turn a NaN into 0 and hide it
    return Finite.all(x, 0, x.length) ? null : Verdict.NON_FINITE_FEATURE;
  }

  /**
   * z and a of every layer for input x; false when a pre-activation is not finite. Each unit's
   * sum starts from its bias and adds the products in input order.
   */
  private boolean forward(final double[] p, final double[] x) {
    System.arraycopy(x, 0, a, 0, x.length);
    double probe = 0.0;
    for (int l = 1; l <= depth; l++) {
      final int in = layers.units(l - 1);
      final int units = layers.units(l);
      final int inAt = unitsAt[l - 1];
      final int outAt = unitsAt[l];
      final int weightsAt = layers.weightsAt(l);
      final int biasesAt = segments[2 * l - 1];
      final Activation f = l == depth ? output : hidden;
      for (int j = 0; j < units; j++) {
        final int row = weightsAt + j * in;
        double s = p[biasesAt + j];
        for (int i = 0; i < in; i++) {
          s += p[row + i] * a[inAt + i];
        }
        z[outAt + j] = s;
        a[outAt + j] = f.value(s);
        probe += s - s;
      }
    }
    if (classes != null) {
      System.arraycopy(z, unitsAt[depth], scores, 0, scores.length);
    }
    return probe == 0.0;
  }

  /**
   * Layer l's gradient from its δ (already known), and the δ of the layer below: the chain rule
   * through W_l (before the step) and the activation's slope there.
   */
  private void backward(final int l, final double[] p, final double[] g) {
    final int in = layers.units(l - 1);
    final int units = layers.units(l);
    final int inAt = unitsAt[l - 1];
    final int outAt = unitsAt[l];
    final int weightsAt = layers.weightsAt(l);
    final int biasesAt = segments[2 * l - 1];
    final boolean below = l > 1;
    if (below) {
      for (int i = 0; i < in; i++) {
        delta[inAt + i] = 0.0;
      }
    }
    for (int j = 0; j < units; j++) {
      final double dj = delta[outAt + j];
      final int row = weightsAt + j * in;
      g[biasesAt + j] = dj; // ∂L/∂b_l[j] = δ_l[j]
      for (int i = 0; i < in; i++) {
        g[row + i] = dj * a[inAt + i]; // ∂L/∂W_l[j][i] = δ_l[j]·a_(l−1)[i]
        if (below) {
          delta[inAt + i] += p[row + i] * dj; // (W_lᵀ·δ_l)[i], summed over j in order
        }
      }
    }
    if (below) {
      for (int i = 0; i < in; i++) {
        delta[inAt + i] *= hidden.derivative(z[inAt + i], a[inAt + i]);
      }
    }
  }

  /**
   * Σ g_i² over [from, to) in four interleaved sums, as the neuron sums its gradient: one chain of
   * additions would wait on each add's latency, and a layer of K classes has K·(n + 1) entries.
   */
  static double squares(final double[] g, final int from, final int to) {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int i = from;
    for (; i + 3 < to; i += 4) {
      s0 += g[i] * g[i];
      s1 += g[i + 1] * g[i + 1];
      s2 += g[i + 2] * g[i + 2];
      s3 += g[i + 3] * g[i + 3];
    }
    for (; i < to; i++) {
      s0 += g[i] * g[i];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
