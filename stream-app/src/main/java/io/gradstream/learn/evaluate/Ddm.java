package io.gradstream.learn.evaluate;

/**
 * The drift detection method of Gama et al. (2004) on a classifier's errors e ∈ {0, 1}: n ← n+1;
 * p ← p + (e − p)/n; s = √(p(1 − p)/n); once n ≥ m, (pmin, smin) ← (p, s) when p + s < pmin +
 * smin, and a drift when p + s > pmin + k·smin (a warning at 2·smin), from pmin = smin = ∞.
 *
 * <p>The comparison is strict, as in Gama et al. and MOA: with "≥", a model without an error
 * (p = s = pmin = smin = 0) would signal a drift at every event.
 */
public final class Ddm implements DriftDetector {
  private static final double WARNING_LEVEL = 2.0;

  private final long minInstances;
  private final double driftLevel;
  private long n;
  private double p;
  private double pmin = Double.POSITIVE_INFINITY;
  private double smin = Double.POSITIVE_INFINITY;
  private double statistic;
  private double threshold = Double.POSITIVE_INFINITY;
  private boolean warning;

  public Ddm(final long minInstances, final double driftLevel) {
    this.minInstances = minInstances;
    this.driftLevel = driftLevel;
  }

  @Override
  public boolean update(final double loss, final double error) {
    n++;
    p += (error - p) / n;
    final double s = Math.sqrt(p * (1.0 - p) / n);
    statistic = p + s;
    warning = false;
    if (n < minInstances) {
      return false;
    }
    if (statistic < pmin + smin) {
      pmin = p;
      smin = s;
    }
    threshold = pmin + driftLevel * smin;
    if (statistic > threshold) {
      n = 0;
      p = 0.0;
      pmin = Double.POSITIVE_INFINITY;
      smin = Double.POSITIVE_INFINITY;
      return true;
    }
    warning = statistic > pmin + WARNING_LEVEL * smin;
    return false;
  }

  /** Whether the last update was above the warning level (and not a drift). */
  public boolean warning() {
    return warning;
  }

  @Override
  public double statistic() {
    return statistic;
  }

  /** pmin + k·smin as the last update compared it; infinite before m samples. */
  @Override
  public double threshold() {
    return threshold;
  }

  @Override
  public String id() {
    return DriftSettings.DDM;
  }

  @Override
  public void write(final double[] into, final int at) {
    into[at] = n;
    into[at + 1] = p;
    into[at + 2] = pmin;
    into[at + 3] = smin;
  }

  @Override
  public void read(final double[] from, final int at) {
    n = (long) from[at];
    p = from[at + 1];
    pmin = from[at + 2];
    smin = from[at + 3];
  }

  @Override
  public DriftDetector copy() {
    final Ddm copy = new Ddm(minInstances, driftLevel);
    copy.read(new double[] {n, p, pmin, smin}, 0);
    copy.statistic = statistic;
    copy.threshold = threshold;
    copy.warning = warning;
    return copy;
  }
}
