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
 * @param maxCoordinates the most coordinates a model may touch, so that its stored record stays
 *     within what Kafka takes (an event that would touch more is refused, the model unchanged)
 */
public record FeatureHashing(int bits, List<Interaction> interactions, int maxTerms,
    int maxCoordinates) {
  /** Dense inputs: no hashing. */
  public static final FeatureHashing NONE = new FeatureHashing(0, List.of(), 0, 0);
  /** The default of {@code --max-terms}. */
  public static final int DEFAULT_MAX_TERMS = 1000;
  /**
   * The default of {@code --max-coordinates}: a stored coordinate takes at most 28 bytes (its
   * weight, its number, FTRL's two slots), so 30,000 of them keep a model's record within Kafka's
   * default limit of 1 MB (message.max.bytes, max.request.size) with any sparse optimizer.
   */
  public static final int DEFAULT_MAX_COORDINATES = 30_000;
  /** The most coordinates a stored model can be read back with (its arrays' bound). */
  public static final int MOST_COORDINATES = 499_000;

  /** At the default limit of coordinates. */
  public FeatureHashing(final int bits, final List<Interaction> interactions,
      final int maxTerms) {
    this(bits, interactions, maxTerms, bits == 0 ? 0 : DEFAULT_MAX_COORDINATES);
  }

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
    if (bits == 0 && (!interactions.isEmpty() || maxTerms != 0 || maxCoordinates != 0)) {
      throw new IllegalArgumentException("interactions, max terms and max coordinates need "
          + "--hash-bits");
    }
    if (bits > 0 && maxTerms < 1) {
      throw new IllegalArgumentException("max terms must be at least 1, got " + maxTerms);
    }
    if (bits > 0 && (maxCoordinates < 1 || maxCoordinates > MOST_COORDINATES)) {
      throw new IllegalArgumentException("max coordinates must be in 1.." + MOST_COORDINATES
          + " (a stored model's arrays hold at most a million values: two per coordinate with "
          + "ftrl), got " + maxCoordinates);
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
