package io.gradstream.learn;

/**
 * SplitMix64 (Steele, Lea and Flood 2014), the generator of a network's starting weights: simple
 * enough to rebuild in any language, so a network's first values follow from its seed alone.
 */
final class SplitMix64 {
  private long state;

  SplitMix64(final long seed) {
    this.state = seed;
  }

  long next() {
    state += 0x9E3779B97F4A7C15L;
    long z = state;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * The {@code index}-th value of {@code nextUnit()} from {@code seed} (counting from 0), without
   * the values before it: SplitMix64's state after n steps is seed + n·γ, so any value is one mix
   * away. What lets a hashed network's untouched first-layer weights be the dense rule's.
   */
  static double unitAt(final long seed, final long index) {
    final SplitMix64 at = new SplitMix64(seed + index * 0x9E3779B97F4A7C15L);
    return at.nextUnit();
  }

  /** A generator that continues after the first {@code skip} values of {@code seed}'s. */
  static SplitMix64 skipping(final long seed, final long skip) {
    return new SplitMix64(seed + skip * 0x9E3779B97F4A7C15L);
  }

  /** u in [0, 1): the top 53 bits of the next value, times 2⁻⁵³. */
  double nextUnit() {
    return (next() >>> 11) * 0x1.0p-53;
  }
}
