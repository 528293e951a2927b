package io.gradstream.learn.features;

/**
 * A numeric feature's running mean and population variance (Welford 1962), kept as three doubles
 * (count, mean, M2) at an offset of a flat array, so that a model's scaler is one array. A
 * training event first updates them with its value, then takes (v − mean)/√var; a prediction takes
 * the same with the current values and updates nothing; a variance of 0 (one value so far, or all
 * alike) gives 0, the mean's own standardized value.
 */
public final class Welford {
  /** Doubles per feature: count, mean, M2. */
  public static final int SLOTS = 3;

  private Welford() {}

  /** Adds {@code v} to the moments at {@code at}, then standardizes it. */
  public static double update(final double[] moments, final int at, final double v) {
    final double count = moments[at] + 1.0;
    final double delta = v - moments[at + 1];
    final double mean = moments[at + 1] + delta / count;
    moments[at] = count;
    moments[at + 1] = mean;
    moments[at + 2] += delta * (v - mean);
    return standardize(moments, at, v);
  }

  /**
   * What {@link #update} would return, the moments left as they are: a step computes with it and
   * updates only once the step is taken, so that a refused event changes nothing.
   */
  public static double preview(final double[] moments, final int at, final double v) {
    final double count = moments[at] + 1.0;
    final double delta = v - moments[at + 1];
    final double mean = moments[at + 1] + delta / count;
    return standardize(count, mean, moments[at + 2] + delta * (v - mean), v);
  }

  /** (v − mean)/√var with the moments at {@code at} as they are; 0 when the variance is 0. */
  public static double standardize(final double[] moments, final int at, final double v) {
    return standardize(moments[at], moments[at + 1], moments[at + 2], v);
  }

  /** The mean of the values at {@code at} so far. */
  public static double mean(final double[] moments, final int at) {
    return moments[at + 1];
  }

  /** The population variance of the values at {@code at} so far: M2 / count, 0 before any. */
  public static double variance(final double[] moments, final int at) {
    return variance(moments[at], moments[at + 2]);
  }

  private static double variance(final double count, final double m2) {
    return count > 0.0 ? m2 / count : 0.0;
  }

  private static double standardize(final double count, final double mean, final double m2,
      final double v) {
    final double variance = variance(count, m2);
    return variance > 0.0 ? (v - mean) / Math.sqrt(variance) : 0.0;
  }
}
