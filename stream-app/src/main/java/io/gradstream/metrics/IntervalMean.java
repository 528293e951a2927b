package io.gradstream.metrics;

import io.micrometer.core.instrument.DistributionSummary;

/**
 * What a distribution summary recorded between two reads: how many amounts and their mean. The
 * demo's progress lines and the live page read the loss this way, once per line or sample.
 */
public final class IntervalMean {
  private final DistributionSummary summary;
  private long count;
  private double total;
  private long intervalCount;
  private double intervalTotal;

  public IntervalMean(final DistributionSummary summary) {
    this.summary = summary;
  }

  /** Ends the interval at now (the next one starts); returns how many amounts it recorded. */
  public long advance() {
    final long nowCount = summary.count();
    final double nowTotal = summary.totalAmount();
    intervalCount = nowCount - count;
    intervalTotal = nowTotal - total;
    count = nowCount;
    total = nowTotal;
    return intervalCount;
  }

  /** The mean of the amounts of the last interval; NaN when it recorded none. */
  public double mean() {
    return intervalCount <= 0 ? Double.NaN : intervalTotal / intervalCount;
  }
}
