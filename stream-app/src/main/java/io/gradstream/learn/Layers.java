package io.gradstream.learn;

import java.util.Arrays;

/**
 * The shape of a network: the width of every layer from the inputs to the output (one unit, or
 * one per class of a multi-class model), and
 * where each layer's parameters lie in the model's one flat parameter array. Layer l (1, 2, ...)
 * keeps its weights W_l row-major (units × inputs) and then its biases b_l, layer after layer from
 * the input side; the optimizers step that array as one list of parameters.
 */
public final class Layers {
  private final int[] sizes;
  /** Where layer l's weights start, for l = 1..L; the end of the array at index L + 1. */
  private final int[] offsets;

  /** @param sizes the inputs, each hidden layer's units, then the outputs */
  public Layers(final int[] sizes) {
    if (sizes.length < 2) {
      throw new IllegalArgumentException("a network is inputs, hidden layers and its outputs, got "
          + Arrays.toString(sizes));
    }
    for (final int s : sizes) {
      if (s < 1) {
        throw new IllegalArgumentException("every layer needs at least one unit, got "
            + Arrays.toString(sizes));
      }
    }
    this.sizes = sizes.clone();
    this.offsets = new int[sizes.length + 1];
    long at = 0;
    for (int l = 1; l < sizes.length; l++) {
      offsets[l] = (int) at;
      at += (long) sizes[l] * (sizes[l - 1] + 1);
      if (at > Integer.MAX_VALUE / 4) {
        throw new IllegalArgumentException("network " + Arrays.toString(sizes) + " has "
            + at + " parameters or more, too many for one model");
      }
    }
    offsets[sizes.length] = (int) at;
  }

  /** n inputs, the hidden layers' units, one output. */
  public static Layers of(final int inputs, final int[] hidden) {
    return of(inputs, hidden, 1);
  }

  /** n inputs, the hidden layers' units, then {@code outputs} units. */
  public static Layers of(final int inputs, final int[] hidden, final int outputs) {
    final int[] sizes = new int[hidden.length + 2];
    sizes[0] = inputs;
    System.arraycopy(hidden, 0, sizes, 1, hidden.length);
    sizes[sizes.length - 1] = outputs;
    return new Layers(sizes);
  }

  /** The number of layers with parameters: the hidden ones and the output. */
  public int count() {
    return sizes.length - 1;
  }

  /** Units of layer l; layer 0 is the input (its units are the features). */
  public int units(final int l) {
    return sizes[l];
  }

  public int inputs() {
    return sizes[0];
  }

  /** Units of the output layer: 1, or K for a multi-class model. */
  public int outputs() {
    return sizes[sizes.length - 1];
  }

  /** Where layer l's (≥ 1) weights start in the parameters. */
  public int weightsAt(final int l) {
    return offsets[l];
  }

  /** Where layer l's (≥ 1) biases start: after its units × inputs weights. */
  public int biasesAt(final int l) {
    return offsets[l] + sizes[l] * sizes[l - 1];
  }

  public int parameters() {
    return offsets[sizes.length];
  }

  /** Units of all layers together, the input's too: the length of one activation vector. */
  int totalUnits() {
    int total = 0;
    for (final int s : sizes) {
      total += s;
    }
    return total;
  }

  /** Where layer l's activations start in one vector of all layers' units. */
  int unitsAt(final int l) {
    int at = 0;
    for (int k = 0; k < l; k++) {
      at += sizes[k];
    }
    return at;
  }

  /** The widths from the input to the output, a copy. */
  public int[] sizes() {
    return sizes.clone();
  }

  /**
   * The starting parameters every key shares: Glorot uniform weights, a = √(6/(fan_in +
   * fan_out)), drawn from SplitMix64 seeded with {@code seed} layer by layer from the input side,
   * unit by unit, input by input, as W = a·(2u − 1) with u = (next() >>> 11)·2⁻⁵³; biases 0.
   * Anyone can rebuild them from the seed.
   */
  public double[] glorot(final long seed) {
    final double[] p = new double[parameters()];
    final SplitMix64 random = new SplitMix64(seed);
    for (int l = 1; l < sizes.length; l++) {
      final int in = sizes[l - 1];
      final int units = sizes[l];
      final double a = Math.sqrt(6.0 / (in + units));
      final int at = offsets[l];
      for (int k = 0; k < units * in; k++) {
        p[at + k] = a * (2.0 * random.nextUnit() - 1.0);
      }
    }
    return p;
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof Layers other && Arrays.equals(sizes, other.sizes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sizes);
  }

  @Override
  public String toString() {
    return Arrays.toString(sizes);
  }
}
