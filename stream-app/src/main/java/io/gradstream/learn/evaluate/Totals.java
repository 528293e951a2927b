package io.gradstream.learn.evaluate;

/**
 * Metrics over every sample so far, in constant memory. A regression keeps Σ|e|, Σe² and Welford's
 * mean and M2 of d (so that SS_tot = M2 needs no second pass and loses nothing to cancellation);
 * a classifier Σ log loss, the number right and (binary) Σ(ŷ − d)².
 */
public final class Totals {
  /** How many doubles {@link #write} takes. */
  public static final int SIZE = 5;

  private final EvaluationKind kind;
  private long count;
  /** Regression: Σ|d − ŷ|; classifiers: Σ log loss. */
  private double first;
  /** Regression: Σ(d − ŷ)²; classifiers: how many were right. */
  private double second;
  /** Regression: the mean of d; binary: Σ(ŷ − d)². */
  private double third;
  /** Regression: Σ(d − mean)² (Welford's M2); binary: unused. */
  private double fourth;

  public Totals(final EvaluationKind kind) {
    this.kind = kind;
  }

  public void add(final double y, final double d) {
    count++;
    final double e = d - y;
    if (kind == EvaluationKind.REGRESSION) {
      first += Math.abs(e);
      second += e * e;
      final double delta = d - third;
      third += delta / count;
      fourth += delta * (d - third);
    } else if (kind == EvaluationKind.MULTICLASS) {
      first += EvaluationKind.logLoss(y);
      second += d;
    } else {
      first += EvaluationKind.logLoss(y, d);
      if (EvaluationKind.positive(y) == EvaluationKind.positive(d)) {
        second++;
      }
      third += e * e;
    }
  }

  public long count() {
    return count;
  }

  public Metrics metrics() {
    if (kind == EvaluationKind.REGRESSION) {
      return count == 0 ? Metrics.regression(0, Double.NaN, Double.NaN, Double.NaN)
          : Metrics.regression(count, first / count, Math.sqrt(second / count),
              fourth == 0.0 ? Double.NaN : 1.0 - second / fourth);
    }
    if (kind == EvaluationKind.MULTICLASS) {
      return count == 0 ? Metrics.multiclass(0, Double.NaN, Double.NaN)
          : Metrics.multiclass(count, first / count, second / count);
    }
    return count == 0 ? Metrics.binary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN)
        : Metrics.binary(count, first / count, second / count, third / count, Double.NaN);
  }

  /** Its state as {@link #SIZE} doubles from {@code at}: the count, then its sums. */
  public void write(final double[] into, final int at) {
    into[at] = count;
    into[at + 1] = first;
    into[at + 2] = second;
    into[at + 3] = third;
    into[at + 4] = fourth;
  }

  /** The state {@link #write} wrote. */
  public void read(final double[] from, final int at) {
    count = (long) from[at];
    first = from[at + 1];
    second = from[at + 2];
    third = from[at + 3];
    fourth = from[at + 4];
  }

  Totals copy() {
    final Totals copy = new Totals(kind);
    copy.count = count;
    copy.first = first;
    copy.second = second;
    copy.third = third;
    copy.fourth = fourth;
    return copy;
  }
}
