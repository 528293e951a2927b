package io.gradstream.step;

import io.gradstream.events.NamedFeatures;
import io.gradstream.learn.features.FeatureHasher;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.HashedVector;
import java.util.List;

/**
 * An event's named features as a hashed model's input: a number's or a boolean's term (name,
 * value), a category's ("name=value", 1), and for each interaction a:b of the spec whose two
 * features the event has, ("ta^tb", va·vb); hashed and then made canonical. One per thread.
 */
public final class HashedInput {
  private final FeatureHasher hasher;
  private final List<FeatureHashing.Interaction> interactions;
  private final int maxTerms;
  private final HashedVector vector = new HashedVector(32);
  /** Where each interaction's two features are in the last event; −1 for absent. */
  private final int[] sides;
  private int terms;

  public HashedInput(final FeatureHashing hashing) {
    this.hasher = new FeatureHasher(hashing.bits());
    this.interactions = hashing.interactions();
    this.maxTerms = hashing.maxTerms();
    this.sides = new int[2 * interactions.size()];
  }

  /**
   * The event's input; null when it has more terms than the limit (nothing is hashed then),
   * {@link #tooManyTerms()} says how many.
   */
  public HashedVector of(final NamedFeatures features) {
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
    vector.clear();
    for (int i = 0; i < features.size(); i++) {
      if (features.kind(i) == NamedFeatures.Kind.CATEGORY) {
        hasher.category(features.name(i), features.category(i), vector);
      } else {
        hasher.number(features.name(i), features.value(i), vector);
      }
    }
    for (int k = 0; k < interactions.size(); k++) {
      final int a = sides[2 * k];
      final int b = sides[2 * k + 1];
      if (a >= 0 && b >= 0) {
        hasher.interaction(features.name(a), features.category(a), features.value(a),
            features.name(b), features.category(b), features.value(b), vector);
      }
    }
    return vector.canonical();
  }

  /** Why the last event was refused: its terms beyond the limit, for a person. */
  public String tooManyTerms() {
    return terms + " terms (its features and their interactions), more than --max-terms "
        + maxTerms;
  }
}
