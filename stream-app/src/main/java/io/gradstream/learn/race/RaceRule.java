package io.gradstream.learn.race;

/**
 * Which variant of a race is a key's champion: the one with the lowest exponentially weighted
 * prequential loss. A variant's weighted loss is its first loss, then m ← m + a·(L − m) with a =
 * 1 − 2^(−1/H), so a loss H events old weighs half; before the key's warm-up events the first
 * listed variant is the champion, and ties go to the first listed.
 *
 * @param halfLife H, in events of the key
 * @param warmup how many of the key's events pass before the weighted losses decide
 */
public record RaceRule(double halfLife, long warmup) {
  public static final double DEFAULT_HALF_LIFE = 200;
  public static final long DEFAULT_WARMUP = 100;

  public RaceRule {
    if (!(halfLife > 0) || !Double.isFinite(halfLife)) {
      throw new IllegalArgumentException("race half life must be a finite number of events "
          + "above 0, got " + halfLife);
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("race warmup must be 0 or more events, got " + warmup);
    }
  }

  /** a = 1 − 2^(−1/H). */
  public double alpha() {
    return 1.0 - Math.pow(2.0, -1.0 / halfLife);
  }

  /** A variant's weighted loss after a step of loss L: L itself at its first (m NaN). */
  public double next(final double m, final double loss) {
    return Double.isNaN(m) ? loss : m + alpha() * (loss - m);
  }

  /**
   * The champion of a key that has had {@code events} events, its variants' weighted losses
   * {@code m} (NaN for a variant that has not stepped yet, which cannot win).
   */
  public int champion(final double[] m, final long events) {
    if (events < warmup) {
      return 0;
    }
    int best = 0;
    for (int v = 1; v < m.length; v++) {
      if (m[v] < m[best] || Double.isNaN(m[best]) && !Double.isNaN(m[v])) {
        best = v;
      }
    }
    return best;
  }
}
