package io.gradstream.learn.evaluate;

/**
 * The Page-Hinkley test on the loss: n ← n+1; mean ← mean + (v − mean)/n; S ← α·S + (v − mean −
 * δ); Smin ← min(Smin, S); a drift when n ≥ m and S − Smin > λ, all from 0. It finds a rise of
 * the mean loss by more than δ that lasts; α below 1 forgets the distant past.
 */
public final class PageHinkley implements DriftDetector {
  private final double delta;
  private final double lambda;
  private final double alpha;
  private final long minInstances;
  private long n;
  private double mean;
  private double sum;
  private double min;
  private double statistic;

  public PageHinkley(final double delta, final double lambda, final double alpha,
      final long minInstances) {
    this.delta = delta;
    this.lambda = lambda;
    this.alpha = alpha;
    this.minInstances = minInstances;
  }

  @Override
  public boolean update(final double loss, final double error) {
    n++;
    mean += (loss - mean) / n;
    sum = alpha * sum + (loss - mean - delta);
    min = Math.min(min, sum);
    statistic = sum - min;
    if (n >= minInstances && statistic > lambda) {
      n = 0;
      mean = 0.0;
      sum = 0.0;
      min = 0.0;
      return true;
    }
    return false;
  }

  @Override
  public double statistic() {
    return statistic;
  }

  @Override
  public double threshold() {
    return lambda;
  }

  @Override
  public String id() {
    return DriftSettings.PAGE_HINKLEY;
  }

  @Override
  public void write(final double[] into, final int at) {
    into[at] = n;
    into[at + 1] = mean;
    into[at + 2] = sum;
    into[at + 3] = min;
  }

  @Override
  public void read(final double[] from, final int at) {
    n = (long) from[at];
    mean = from[at + 1];
    sum = from[at + 2];
    min = from[at + 3];
  }

  @Override
  public DriftDetector copy() {
    final PageHinkley copy = new PageHinkley(delta, lambda, alpha, minInstances);
    copy.n = n;
    copy.mean = mean;
    copy.sum = sum;
    copy.min = min;
    copy.statistic = statistic;
    return copy;
  }
}
