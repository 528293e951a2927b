package io.gradstream.metrics;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * What a histogram recorded between two reads: how many amounts and their mean. The demo's
 * progress lines and the live page read the loss this way, once per line or sample.
 */
public final class IntervalMean {
  private final LongSupplier counted;
  private final DoubleSupplier summed;
  private long count;
  private double total;
  private long intervalCount;
  private double intervalTotal;

  /** @param counted how many amounts were recorded so far, summed their total */
  public IntervalMean(final LongSupplier counted, final DoubleSupplier summed) {
    this.counted = counted;
    this.summed = summed;
  }

  /** Ends the interval at now (the next one starts); returns how many amounts it recorded. */
  public long advance() {
    final long nowCount = counted.getAsLong();
    final double nowTotal = summed.getAsDouble();
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
