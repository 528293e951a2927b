package io.gradstream.learn;

import io.gradstream.learn.features.HashedVector;

/**
 * A network over hashed inputs, exactly the dense network over the 2^B coordinates (the same
 * starting weights, the same steps) while it keeps only what the events touched: the first
 * layer's column of each touched coordinate ({@link SparseColumns}), every other parameter dense.
 * An untouched column is the SplitMix64 Glorot rule's, computed when an event first reaches its
 * coordinate; its gradient is 0 until then, so plain SGD and AdaGrad leave it as it was, which is
 * what makes the sparse step exact (the optimizers that move every weight are refused by the
 * spec). Forward and backward follow {@link Network}: z_l = W_l·a_(l−1) + b_l, the first layer's
 * sum over the event's coordinates in ascending order, as the dense sum over all of them adds its
 * non-zero terms. One instance per thread.
 */
public final class HashedNetwork implements HashedLearner {
  private final ModelSpec spec;
  private final Layers layers;
  /** The layers above the first: their inputs are the first layer's units. */
  private final Layers tail;
  private final Activation output;
  private final Activation hidden;
  private final Loss lossFunction;
  private final ParameterUpdate update;
  private final boolean plain;
  private final double eta;
  private final int stateSlots;
  private final int maxCoordinates;
  private final int bits;
  private final int width;
  /** The first layer's Glorot bound √(6/(2^B + h₁)). */
  private final double firstBound;
  private final long seed;
  private final int depth;
  /** Activations, pre-activations and δ of every layer above the input, the first's first. */
  private final double[] a;
  private final double[] z;
  private final double[] delta;
  private final int[] unitsAt;
  /** The event's columns gathered (k·width), then the dense parameters. */
  private double[] current = new double[0];
  private double[] gradient = new double[0];
  private double[] state = new double[0];
  private int[] slots = new int[0];
  private final double[] column;
  private int[] segments = new int[0];

  public HashedNetwork(final ModelSpec spec) {
    this.spec = spec;
    this.layers = spec.layers();
    if (layers == null || spec.hashBits() == 0) {
      throw new IllegalArgumentException("a hashed network needs hashed inputs and hidden layers");
    }
    this.bits = spec.hashBits();
    this.width = layers.units(1);
    this.tail = tail(layers);
    this.output = spec.activation();
    this.hidden = spec.hidden().activation();
    this.lossFunction = spec.loss();
    this.update = new ParameterUpdate(spec.optimizer(), spec.learningRate());
    this.plain = spec.optimizer().plain();
    this.eta = spec.learningRate();
    this.stateSlots = spec.optimizer().kind().slots();
    this.maxCoordinates = spec.hashing().maxCoordinates();
    this.firstBound = firstBound(bits, width);
    this.seed = spec.hidden().initSeed();
    this.depth = layers.count();
    this.unitsAt = new int[depth + 1];
    int total = 0;
    for (int l = 1; l <= depth; l++) {
      unitsAt[l] = total;
      total += layers.units(l);
    }
    this.a = new double[total];
    this.z = new double[total];
    this.delta = new double[total];
    this.column = new double[width];
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  /** The starting network: no column yet, zero biases, the later layers' Glorot weights. */
  @Override
  public Model newModel() {
    return initial(spec);
  }

  /** The layers above a hashed network's first: their inputs are its units. */
  public static Layers tail(final Layers layers) {
    final int[] above = new int[layers.count() - 2];
    for (int l = 2; l < layers.count(); l++) {
      above[l - 2] = layers.units(l);
    }
    return Layers.of(layers.units(1), above);
  }

  /** {@link #newModel()} of {@code spec}. */
  static Model initial(final ModelSpec spec) {
    final Layers layers = spec.layers();
    final Layers tail = tail(layers);
    final int width = layers.units(1);
    final double[] p = new double[width + tail.parameters()];
    // the later layers' draws follow the first layer's h₁·2^B in the dense rule's sequence
    final SplitMix64 random = SplitMix64.skipping(spec.hidden().initSeed(),
        (long) width << spec.hashBits());
    for (int l = 1; l <= tail.count(); l++) {
      final int in = tail.units(l - 1);
      final int units = tail.units(l);
      final double bound = Math.sqrt(6.0 / (in + units));
      for (int k = 0; k < units * in; k++) {
        p[width + tail.weightsAt(l) + k] = bound * (2.0 * random.nextUnit() - 1.0);
      }
    }
    return Model.hashedNetwork(spec.hashBits(), layers,
        new SparseColumns(width, spec.optimizer().kind().slots()), p, 0L, 0.0,
        new double[spec.optimizerStateSize()]);
  }

  /** Unit j's starting weight from coordinate c: draw j·2^B + c of the dense rule. */
  private double start(final int unit, final int coordinate) {
    return start(seed, bits, firstBound, unit, coordinate);
  }

  private static double start(final long seed, final int bits, final double bound,
      final int unit, final int coordinate) {
    return bound * (2.0 * SplitMix64.unitAt(seed, ((long) unit << bits) + coordinate) - 1.0);
  }

  /** The first layer's Glorot bound √(6/(2^B + h₁)). */
  private static double firstBound(final int bits, final int width) {
    return Math.sqrt(6.0 / ((1 << bits) + width));
  }

  /**
   * The first layer of {@code model} as a dense table, coordinate by coordinate: each of the 2^B
   * coordinates' column of h₁ weights, stored or (untouched) its starting one, which stays the
   * seed's until the column is first stepped.
   *
   * @param seed the network's init seed (the setting {@code init-seed})
   */
  public static double[] firstLayer(final Model model, final long seed) {
    final int bits = model.hashBits();
    final int width = model.layers().units(1);
    final double bound = firstBound(bits, width);
    final SparseColumns columns = model.columns();
    final double[] table = new double[width << bits];
    for (int c = 0; c < 1 << bits; c++) {
      final int slot = columns.slot(c);
      for (int j = 0; j < width; j++) {
        table[c * width + j] = slot >= 0 ? columns.value(slot, j)
            : start(seed, bits, bound, j, c);
      }
    }
    return table;
  }

  @Override
  public Verdict predict(final Model model, final HashedVector x, final StepResult out) {
    if (!x.allFinite()) {
      return Verdict.NON_FINITE_FEATURE;
    }
    gather(model, x);
    if (!forward(model.weights(), x)) {
      return Verdict.NON_FINITE_PREDICTION;
    }
    out.net = z[unitsAt[depth]];
    out.y = a[unitsAt[depth]];
    return Verdict.PREDICTED;
  }

  @Override
  public Verdict learn(final Model model, final HashedVector x, final double d,
      final StepResult out) {
    if (!x.allFinite()) {
      return Verdict.NON_FINITE_FEATURE;
    }
    final Verdict badLabel = Learner.refusedLabel(lossFunction, d);
    if (badLabel != null) {
      return badLabel;
    }
    final int k = x.size();
    final double[] p = model.weights();
    gather(model, x);
    int untouched = 0;
    for (int i = 0; i < k; i++) {
      if (slots[i] < 0) {
        untouched++;
      }
    }
    if (model.columns().size() + untouched > maxCoordinates) {
      return Verdict.MODEL_FULL;
    }
    if (!forward(p, x)) {
      return Verdict.NON_FINITE_STEP;
    }
    final int last = unitsAt[depth];
    final double net = z[last];
    final double y = a[last];
    final double loss = lossFunction.value(net, y, d);
    final double fPrime = output.derivative(net, y);
    delta[last] = lossFunction.slope(net, y, fPrime, d);
    final int columns = k * width;
    // the later layers, from the top, into the gradient after the columns and b₁
    for (int l = depth; l >= 2; l--) {
      backward(l, p, columns);
    }
    for (int j = 0; j < width; j++) {
      gradient[columns + j] = delta[j]; // ∂L/∂b₁
      for (int i = 0; i < k; i++) {
        gradient[i * width + j] = delta[j] * x.value(i); // ∂L/∂W₁[j][c_i]
      }
    }
    final int size = columns + p.length;
    // each layer's squares in the dense network's order (its weights row by row, then its
    // biases; the layers from the top), so that the norm, and a clipped step, are the same bits
    final double[] layerNorms = out.layerNormsBuffer(depth);
    double squares = 0.0;
    for (int l = depth; l >= 2; l--) {
      final double layer = Network.squares(gradient, columns + width + tail.weightsAt(l - 1),
          columns + width + tail.biasesAt(l - 1) + tail.units(l - 1));
      layerNorms[l - 1] = Math.sqrt(layer);
      squares += layer;
    }
    final double first = firstSquares(gradient, x, width, columns);
    layerNorms[0] = Math.sqrt(first);
    squares += first;
    final double norm = Math.sqrt(squares);
    out.net = net;
    out.y = y;
    out.e = d - y;
    out.fPrime = fPrime;
    out.loss = loss;
    out.biasGradient = 0.0;
    out.gradientNorm = norm;
    out.activations = a;
    out.hiddenFrom = 0;
    if (!Double.isFinite(fPrime) || !Double.isFinite(loss)
        || !Double.isFinite(model.lossSum() + loss) || !Double.isFinite(norm)) {
      return Verdict.NON_FINITE_STEP;
    }
    System.arraycopy(p, 0, current, columns, p.length);
    final SparseColumns w = model.columns();
    final double[] next;
    if (plain) {
      for (int i = 0; i < size; i++) {
        current[i] -= eta * gradient[i];
        if (!Double.isFinite(current[i])) {
          return Verdict.NON_FINITE_STEP;
        }
      }
      next = current;
      out.updateNorm = eta * norm;
    } else {
      final double[] head = model.optimizerState();
      final int stateSize = 1 + stateSlots * size;
      state[0] = head[0];
      for (int s = 0; s < stateSlots; s++) {
        for (int i = 0; i < k; i++) {
          for (int j = 0; j < width; j++) {
            state[1 + s * size + i * width + j] = slots[i] < 0 ? 0.0 : w.state(slots[i], s, j);
          }
        }
        System.arraycopy(head, 1 + s * p.length, state, 1 + s * size + columns, p.length);
      }
      segmentsFor(columns);
      if (!update.compute(current, gradient, size, norm, segments, state, stateSize,
          model.count())) {
        return Verdict.NON_FINITE_STEP;
      }
      update.commitState(state);
      next = update.next();
      out.updateNorm = update.updateNorm();
      head[0] = state[0];
      for (int s = 0; s < stateSlots; s++) {
        System.arraycopy(state, 1 + s * size + columns, head, 1 + s * p.length, p.length);
      }
    }
    for (int i = 0; i < k; i++) {
      final int slot = slots[i] >= 0 ? slots[i] : w.add(x.coordinate(i), next, i * width);
      for (int j = 0; j < width; j++) {
        w.set(slot, j, next[i * width + j]);
        for (int s = 0; s < stateSlots && !plain; s++) {
          w.setState(slot, s, j, state[1 + s * size + i * width + j]);
        }
      }
    }
    System.arraycopy(next, columns, p, 0, p.length);
    model.commitStep(0.0, loss);
    return Verdict.TRAINED;
  }

  /** Weights and biases alternately: the columns, b₁, then each later layer's W and b. */
  private void segmentsFor(final int columns) {
    final int runs = 2 * tail.count() + 3;
    if (segments.length != runs) {
      segments = new int[runs];
    }
    segments[0] = 0;
    segments[1] = columns;
    segments[2] = columns + width;
    for (int l = 1; l <= tail.count(); l++) {
      segments[2 * l + 1] = columns + width + tail.biasesAt(l);
      segments[2 * l + 2] = columns + width + tail.biasesAt(l) + tail.units(l);
    }
  }

  /** The event's columns (stored, or the starting ones) into the scratch, and their slots. */
  private void gather(final Model model, final HashedVector x) {
    final int k = x.size();
    final int size = k * width + model.weights().length;
    if (current.length < size) {
      current = new double[size];
      gradient = new double[size];
      state = new double[1 + Math.max(1, stateSlots) * size];
    }
    if (slots.length < k) {
      slots = new int[k];
    }
    final SparseColumns w = model.columns();
    for (int i = 0; i < k; i++) {
      final int c = x.coordinate(i);
      slots[i] = w.slot(c);
      for (int j = 0; j < width; j++) {
        current[i * width + j] = slots[i] >= 0 ? w.value(slots[i], j) : start(j, c);
      }
    }
  }

  /** Every layer's z and a; false when a pre-activation is not finite. */
  private boolean forward(final double[] p, final HashedVector x) {
    double probe = 0.0;
    final int k = x.size();
    for (int j = 0; j < width; j++) {
      double s = p[j];
      for (int i = 0; i < k; i++) {
        s += current[i * width + j] * x.value(i);
      }
      z[j] = s;
      a[j] = (depth == 1 ? output : hidden).value(s);
      probe += s - s;
    }
    for (int l = 2; l <= depth; l++) {
      final int in = layers.units(l - 1);
      final int units = layers.units(l);
      final int inAt = unitsAt[l - 1];
      final int outAt = unitsAt[l];
      final int weightsAt = width + tail.weightsAt(l - 1);
      final int biasesAt = width + tail.biasesAt(l - 1);
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
    return probe == 0.0;
  }

  /** Layer l's (l ≥ 2) gradient, after the columns, and the δ of the layer below. */
  private void backward(final int l, final double[] p, final int columns) {
    final int in = layers.units(l - 1);
    final int units = layers.units(l);
    final int inAt = unitsAt[l - 1];
    final int outAt = unitsAt[l];
    final int weightsAt = width + tail.weightsAt(l - 1);
    final int biasesAt = width + tail.biasesAt(l - 1);
    for (int i = 0; i < in; i++) {
      delta[inAt + i] = 0.0;
    }
    for (int j = 0; j < units; j++) {
      final double dj = delta[outAt + j];
      final int row = weightsAt + j * in;
      gradient[columns + biasesAt + j] = dj;
      for (int i = 0; i < in; i++) {
        gradient[columns + row + i] = dj * a[inAt + i];
        delta[inAt + i] += p[row + i] * dj;
      }
    }
    for (int i = 0; i < in; i++) {
      delta[inAt + i] *= hidden.derivative(z[inAt + i], a[inAt + i]);
    }
  }

  /**
   * The first layer's Σ g² as the dense network sums it ({@link Network#squares}: four sums, the
   * entry at index t of the layer's weights and then biases in sum t mod 4, each in index order),
   * over the entries that are not 0: the touched columns' weights row by row (coordinates
   * ascending), then the biases. An untouched entry adds +0, which changes no sum.
   */
  private double firstSquares(final double[] gradient, final HashedVector x, final int width,
      final int columns) {
    final long inputs = 1L << bits;
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    for (int j = 0; j < width + 1; j++) {
      final boolean biases = j == width;
      for (int i = 0; i < (biases ? width : x.size()); i++) {
        final double g = biases ? gradient[columns + i] : gradient[i * width + j];
        final long at = biases ? width * inputs + i : j * inputs + x.coordinate(i);
        switch ((int) (at & 3)) {
          case 0 -> s0 += g * g;
          case 1 -> s1 += g * g;
          case 2 -> s2 += g * g;
          default -> s3 += g * g;
        }
      }
    }
    return (s0 + s1) + (s2 + s3);
  }
}
