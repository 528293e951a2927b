package io.gradstream.learn.features;

/**
 * The hashing trick as scikit-learn's {@code FeatureHasher(n_features=2**B, input_type="pair",
 * alternate_sign=True)} does it: a term (name, value) goes to coordinate |h| mod 2^B with the sign
 * of h, where h is the signed MurmurHash3_x86_32 of the name's UTF-8 bytes, seed 0; terms that land
 * on the same coordinate add up. A term's name is the feature's name for a number or a boolean,
 * "name=value" for a category, and "a^b" of the two sides' names for an interaction. One instance
 * per thread: it hashes with a {@link Murmur3} of its own.
 */
public final class FeatureHasher {
  /** The most bits: 2^24 coordinates, sixteen million weights at most per model. */
  public static final int MAX_BITS = 24;

  private final int bits;
  private final int mask;
  private final Murmur3 murmur = new Murmur3(0);

  public FeatureHasher(final int bits) {
    if (bits < 1 || bits > MAX_BITS) {
      throw new IllegalArgumentException("hash bits must be in 1.." + MAX_BITS + ", got " + bits);
    }
    this.bits = bits;
    this.mask = (1 << bits) - 1;
  }

  public int bits() {
    return bits;
  }

  /** 2^B, the coordinates of the model's input. */
  public int dimension() {
    return mask + 1;
  }

  /**
   * |h| mod 2^B. sklearn takes |−2^31| as 2^31 (its special case), which a long gives here, so
   * that −2^31 goes to coordinate 0 as there.
   */
  int coordinate(final int h) {
    return (int) (Math.abs((long) h) & mask);
  }

  /** The term (name, value): a number, or a boolean as 1 or 0. */
  public void number(final CharSequence name, final double value, final HashedVector out) {
    put(murmur.start().add(name).finish(), value, out);
  }

  /** The term ("name=value", 1) of a category. */
  public void category(final CharSequence name, final CharSequence value,
      final HashedVector out) {
    put(murmur.start().add(name).add('=').add(value).finish(), 1.0, out);
  }

  /**
   * The term ("ta^tb", va·vb) of an interaction between the terms of two features, each a name
   * and its category's value (null for a number) and the term's value.
   */
  public void interaction(final CharSequence aName, final CharSequence aCategory,
      final double aValue, final CharSequence bName, final CharSequence bCategory,
      final double bValue, final HashedVector out) {
    murmur.start();
    side(aName, aCategory);
    murmur.add('^');
    side(bName, bCategory);
    put(murmur.finish(), aValue * bValue, out);
  }

  private void side(final CharSequence name, final CharSequence category) {
    murmur.add(name);
    if (category != null) {
      murmur.add('=').add(category);
    }
  }

  private void put(final int h, final double value, final HashedVector out) {
    out.add(coordinate(h), h >= 0 ? value : -value);
  }
}
