package io.gradstream.learn.features;

import java.util.List;

/**
 * How a model reads named features: hashed into 2^{@code bits} coordinates, with the products of
 * the listed pairs of features as terms of their own, at most {@code maxTerms} terms an event.
 * {@link #NONE} for a model that reads a dense x.
 *
 * @param interactions pairs of feature names (VW's {@code -q a:b}), each adding the term
 *     "ta^tb" with the product of the two features' values
 * @param maxTerms the most terms (features and interactions) one event may give, so that one
 *     event cannot grow a model without bound
 */
public record FeatureHashing(int bits, List<Interaction> interactions, int maxTerms) {
  /** Dense inputs: no hashing. */
  public static final FeatureHashing NONE = new FeatureHashing(0, List.of(), 0);
  /** The default of {@code --max-terms}. */
  public static final int DEFAULT_MAX_TERMS = 1000;

  /** The interaction of the features named {@code a} and {@code b}. */
  public record Interaction(String a, String b) {
    public Interaction {
      if (a == null || a.isEmpty() || b == null || b.isEmpty()) {
        throw new IllegalArgumentException("an interaction names two features, a:b");
      }
    }

    /** "a:b", as {@code --interactions} takes it. */
    public static Interaction parse(final String text) {
      final int colon = text.indexOf(':');
      if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException("interactions name two features, a:b, got '" + text
            + "'");
      }
      return new Interaction(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
      return a + ":" + b;
    }
  }

  public FeatureHashing {
    interactions = List.copyOf(interactions);
    if (bits != 0 && (bits < 1 || bits > FeatureHasher.MAX_BITS)) {
      throw new IllegalArgumentException("hash bits must be in 1.." + FeatureHasher.MAX_BITS
          + ", got " + bits);
    }
    if (bits == 0 && (!interactions.isEmpty() || maxTerms != 0)) {
      throw new IllegalArgumentException("interactions and max terms need --hash-bits");
    }
    if (bits > 0 && maxTerms < 1) {
      throw new IllegalArgumentException("max terms must be at least 1, got " + maxTerms);
    }
  }

  /** Hashing into 2^bits coordinates, without interactions, at the default limit of terms. */
  public static FeatureHashing of(final int bits) {
    return new FeatureHashing(bits, List.of(), DEFAULT_MAX_TERMS);
  }

  public boolean none() {
    return bits == 0;
  }
}
