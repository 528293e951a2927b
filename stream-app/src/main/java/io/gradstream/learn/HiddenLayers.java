package io.gradstream.learn;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The hidden layers between a model's inputs and its one output unit, and where a network starts:
 * none for the one neuron of the learning rule.
 *
 * @param units each hidden layer's width, from the input side; empty for one neuron
 * @param activation the hidden units' activation (the output unit's is the spec's)
 * @param initSeed the SplitMix64 seed of the starting weights (see {@link Layers#glorot})
 * @param initParameters the starting parameters in {@link Layers}' order instead of the seed's;
 *     null to draw them from the seed
 */
public record HiddenLayers(int[] units, Activation activation, long initSeed,
    double[] initParameters) {

  public static final long DEFAULT_SEED = 42L;

  /** The one neuron. */
  public static final HiddenLayers NONE =
      new HiddenLayers(new int[0], Activation.TANH, DEFAULT_SEED, null);

  public HiddenLayers {
    units = units.clone();
    for (final int u : units) {
      if (u < 1) {
        throw new IllegalArgumentException("every hidden layer needs at least one unit, got "
            + text(units));
      }
    }
    if (activation == null) {
      throw new IllegalArgumentException("a hidden activation is required");
    }
    if (initParameters != null) {
      if (units.length == 0) {
        throw new IllegalArgumentException("starting parameters of a network need hidden layers");
      }
      initParameters = initParameters.clone();
      for (final double p : initParameters) {
        if (!Double.isFinite(p)) {
          throw new IllegalArgumentException("starting parameters must be finite, got " + p);
        }
      }
    }
  }

  /** Hidden layers of these widths, starting from the seed's Glorot weights. */
  public static HiddenLayers of(final int[] units, final Activation activation, final long seed) {
    return new HiddenLayers(units, activation, seed, null);
  }

  public boolean none() {
    return units.length == 0;
  }

  @Override
  public int[] units() {
    return units.clone();
  }

  /** The widths as the flag takes them: {@code 16,8}. */
  public String text() {
    return text(units);
  }

  /** The starting parameters of a network of {@code layers}: given ones, or the seed's. */
  double[] initialParameters(final Layers layers) {
    return initParameters != null ? initParameters.clone() : layers.glorot(initSeed);
  }

  private static String text(final int[] units) {
    return Arrays.stream(units).mapToObj(Integer::toString).collect(Collectors.joining(","));
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof HiddenLayers h && Arrays.equals(units, h.units)
        && activation == h.activation && initSeed == h.initSeed
        && Arrays.equals(initParameters, h.initParameters);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(units) * 31 + activation.hashCode();
  }

  @Override
  public String toString() {
    return none() ? "none" : "hidden=" + text() + " hidden-activation=" + activation.id()
        + (initParameters != null ? " init=given" : " init-seed=" + initSeed);
  }
}
