package io.gradstream.step;

import io.gradstream.events.NamedFeatures;
import io.gradstream.events.Outcome;
import io.gradstream.learn.features.FeatureHasher;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.HashedVector;
import io.gradstream.learn.features.StandardScaler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An event's named features as a hashed model's input: a number's or a boolean's term (name,
 * value), a category's ("name=value", 1), and for each interaction a:b of the spec whose two
 * features the event has, ("ta^tb", va·vb); hashed and then made canonical. With a scaler each
 * number is standardized first (a boolean or a category never is), and interactions take the
 * standardized values. One per thread.
 */
public final class HashedInput {
  private final FeatureHasher hasher;
  private final List<FeatureHashing.Interaction> interactions;
  private final int maxTerms;
  private final HashedVector vector = new HashedVector(32);
  /** Where each interaction's two features are in the last event; −1 for absent. */
  private final int[] sides;
  /** Each feature's value as hashed: standardized when numbers are scaled. */
  private double[] values = new double[8];
  private int terms;
  /** A number the last event named twice, which its scaler could not take; else null. */
  private String duplicate;

  public HashedInput(final FeatureHashing hashing) {
    this.hasher = new FeatureHasher(hashing.bits());
    this.interactions = hashing.interactions();
    this.maxTerms = hashing.maxTerms();
    this.sides = new int[2 * interactions.size()];
  }

  /** The event's input unscaled; see {@link #of(NamedFeatures, StandardScaler, boolean)}. */
  public HashedVector of(final NamedFeatures features) {
    return of(features, null, false);
  }

  /**
   * The event's input; null when it has more terms than the limit, or gives a scaled number
   * twice: nothing is hashed then, and {@link #refusal()} says why.
   *
   * @param scaler the model's scaler, null when it scales nothing
   * @param training whether the input is a training event's, standardized with the moments its
   *     numbers will give once {@link #commit committed}; else with the moments as they are
   */
  public HashedVector of(final NamedFeatures features, final StandardScaler scaler,
      final boolean training) {
    duplicate = null;
    terms = features.size();
    // each interaction's two features, found once: counted here, hashed below
    for (int k = 0; k < interactions.size(); k++) {
      final FeatureHashing.Interaction pair = interactions.get(k);
      sides[2 * k] = features.indexOf(pair.a());
      sides[2 * k + 1] = features.indexOf(pair.b());
      if (sides[2 * k] >= 0 && sides[2 * k + 1] >= 0) {
        terms++;
      }
    }
    if (terms > maxTerms) {
      return null;
    }
    if (scaler != null) {
      duplicate = duplicateNumber(features);
      if (duplicate != null) {
        return null;
      }
    }
    scale(features, scaler, training);
    vector.clear();
    for (int i = 0; i < features.size(); i++) {
      if (features.kind(i) == NamedFeatures.Kind.CATEGORY) {
        hasher.category(features.name(i), features.category(i), vector);
      } else {
        hasher.number(features.name(i), values[i], vector);
      }
    }
    for (int k = 0; k < interactions.size(); k++) {
      final int a = sides[2 * k];
      final int b = sides[2 * k + 1];
      if (a >= 0 && b >= 0) {
        hasher.interaction(features.name(a), features.category(a), values[a],
            features.name(b), features.category(b), values[b], vector);
      }
    }
    return vector.canonical();
  }

  private void scale(final NamedFeatures features, final StandardScaler scaler,
      final boolean training) {
    if (values.length < features.size()) {
      values = Arrays.copyOf(values, Math.max(features.size(), 2 * values.length));
    }
    for (int i = 0; i < features.size(); i++) {
      final double v = features.value(i);
      values[i] = scaler == null || features.kind(i) != NamedFeatures.Kind.NUMBER ? v
          : training ? scaler.train(features.name(i), v) : scaler.serve(features.name(i), v);
    }
  }

  /**
   * One term of an event as a hashed model sees it, for a person (the explain endpoint): its name
   * ("amount", "country=DE", "country=DE^device=ios"), its coordinate, the sign of its hash, and
   * its value after scaling.
   */
  public record Term(String name, int coordinate, int sign, double value) {}

  /**
   * The terms of {@link #of} for a prediction, in the order of the event's features and then of
   * the interactions; null when it would refuse the event ({@link #refusal()} says why).
   * Allocates: not for the hot path.
   */
  public List<Term> terms(final NamedFeatures features, final StandardScaler scaler) {
    if (of(features, scaler, false) == null) {
      return null;
    }
    final List<Term> out = new ArrayList<>();
    final String[] names = new String[features.size()];
    for (int i = 0; i < features.size(); i++) {
      names[i] = features.kind(i) == NamedFeatures.Kind.CATEGORY
          ? features.name(i) + "=" + features.category(i) : features.name(i);
      out.add(term(names[i], values[i]));
    }
    for (int k = 0; k < interactions.size(); k++) {
      final int a = sides[2 * k];
      final int b = sides[2 * k + 1];
      if (a >= 0 && b >= 0) {
        out.add(term(names[a] + "^" + names[b], values[a] * values[b]));
      }
    }
    return out;
  }

  private Term term(final String name, final double value) {
    final HashedVector one = new HashedVector(1);
    hasher.number(name, 1.0, one);
    return new Term(name, one.coordinate(0), one.value(0) > 0 ? 1 : -1, value);
  }

  /**
   * The name of a number given twice, else null: its moments would take two values in one step.
   * Unscaled, the two terms add up as sklearn's pairs do, and nothing is looked for.
   */
  private static String duplicateNumber(final NamedFeatures features) {
    for (int i = 1; i < features.size(); i++) {
      if (features.kind(i) == NamedFeatures.Kind.NUMBER) {
        for (int j = 0; j < i; j++) {
          if (features.kind(j) == NamedFeatures.Kind.NUMBER
              && features.name(j).equals(features.name(i))) {
            return features.name(i);
          }
        }
      }
    }
    return null;
  }

  /** How many of the event's numbers {@code scaler} has no moments of yet. */
  public static int newNumbers(final NamedFeatures features, final StandardScaler scaler) {
    int n = 0;
    for (int i = 0; i < features.size(); i++) {
      if (features.kind(i) == NamedFeatures.Kind.NUMBER && !scaler.has(features.name(i))) {
        n++;
      }
    }
    return n;
  }

  /** Adds the numbers of a training event whose step was taken to the scaler's moments. */
  public static void commit(final NamedFeatures features, final StandardScaler scaler) {
    for (int i = 0; i < features.size(); i++) {
      if (features.kind(i) == NamedFeatures.Kind.NUMBER) {
        scaler.commit(features.name(i), features.value(i));
      }
    }
  }

  /** Why {@link #of} refused the last event. */
  public Outcome refusal() {
    return duplicate != null ? Outcome.DUPLICATE_FEATURE : Outcome.TOO_MANY_TERMS;
  }

  /** Why the last event was refused, for a person. */
  public String refusalDetail() {
    if (duplicate != null) {
      return "the event gives number \"" + duplicate + "\" twice, and the model scales each "
          + "number by its name (--scale)";
    }
    return "the event has " + tooManyTerms();
  }

  /** Its terms beyond the limit, for a person. */
  private String tooManyTerms() {
    return terms + " terms (its features and their interactions), more than --max-terms "
        + maxTerms;
  }
}
