package io.gradstream.learn.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Events with numbers, booleans, categories, nulls and interactions, hashed here and by
 * scikit-learn's FeatureHasher (hashing-sklearn.json) at 1 to 24 bits: the same coordinates and
 * values. The terms are built from the event by the README's rules, written again in this test.
 */
class FeatureHasherTest {
  /** One feature's term: its name, its category (null for a number) and its value. */
  private record Term(String name, String category, double value) {}

  private static Map<String, Term> terms(final JsonNode features) {
    final Map<String, Term> terms = new LinkedHashMap<>();
    for (final Iterator<Map.Entry<String, JsonNode>> it = features.fields(); it.hasNext(); ) {
      final Map.Entry<String, JsonNode> f = it.next();
      final JsonNode v = f.getValue();
      if (v.isBoolean()) {
        terms.put(f.getKey(), new Term(f.getKey(), null, v.booleanValue() ? 1 : 0));
      } else if (v.isTextual()) {
        terms.put(f.getKey(), new Term(f.getKey(), v.textValue(), 1));
      } else if (v.isNumber()) {
        terms.put(f.getKey(), new Term(f.getKey(), null, v.doubleValue()));
      }
    }
    return terms;
  }

  private static void hash(final FeatureHasher hasher, final Term t, final HashedVector out) {
    if (t.category() == null) {
      hasher.number(t.name(), t.value(), out);
    } else {
      hasher.category(t.name(), t.category(), out);
    }
  }

  @Test
  void eventsHashAsScikitLearnsFeatureHasherHashesTheirTerms() throws IOException {
    int cases = 0;
    for (final JsonNode c : Murmur3Test.reference().get("cases")) {
      final FeatureHasher hasher = new FeatureHasher(c.get("bits").intValue());
      final HashedVector vector = new HashedVector(2);
      final Map<String, Term> terms = terms(c.get("features"));
      terms.values().forEach(t -> hash(hasher, t, vector));
      for (final JsonNode pair : c.get("interactions")) {
        final Term a = terms.get(pair.get(0).textValue());
        final Term b = terms.get(pair.get(1).textValue());
        hasher.interaction(a.name(), a.category(), a.value(), b.name(), b.category(), b.value(),
            vector);
      }
      assertThat(vector.size()).isEqualTo(c.get("terms").size());
      vector.canonical();
      final Map<Integer, Double> got = new HashMap<>();
      for (int k = 0; k < vector.size(); k++) {
        assertThat(vector.coordinate(k)).isBetween(0, hasher.dimension() - 1);
        got.put(vector.coordinate(k), vector.value(k));
      }
      final Map<Integer, Double> expected = new HashMap<>();
      c.get("vector").fields().forEachRemaining(e ->
          expected.put(Integer.parseInt(e.getKey()), e.getValue().doubleValue()));
      assertThat(got).as("case %d at %d bits", cases, hasher.bits()).isEqualTo(expected);
      cases++;
    }
    assertThat(cases).isEqualTo(30);
  }

  @Test
  void theSignedMinimumGoesToCoordinateZeroAsInScikitLearn() {
    // sklearn: (2^31 − 1 − (n − 1)) % n for h = −2^31, which is 0 for every n = 2^B
    for (int bits = 1; bits <= FeatureHasher.MAX_BITS; bits++) {
      final FeatureHasher hasher = new FeatureHasher(bits);
      assertThat(hasher.coordinate(Integer.MIN_VALUE)).isZero();
      assertThat(hasher.coordinate(-1)).isEqualTo(1);
      assertThat(hasher.coordinate(Integer.MAX_VALUE)).isEqualTo(hasher.dimension() - 1);
      assertThat(hasher.coordinate(-(1 << bits) - 3)).isEqualTo(3 & (hasher.dimension() - 1));
      assertThat(hasher.dimension()).isEqualTo(1 << bits);
    }
  }

  @Test
  void bitsOutsideOneTo24AreRefused() {
    assertThatThrownBy(() -> new FeatureHasher(0)).hasMessage("hash bits must be in 1..24, got 0");
    assertThatThrownBy(() -> new FeatureHasher(25)).hasMessageContaining("got 25");
    assertThat(new FeatureHasher(24).bits()).isEqualTo(24);
  }

  @Test
  void theSameTermsInAnyOrderGiveTheSameBits() {
    final FeatureHasher hasher = new FeatureHasher(2); // four coordinates: many collisions
    final Random random = new Random(3);
    final List<double[]> terms = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      terms.add(new double[] {i, random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6)});
    }
    HashedVector first = null;
    for (int round = 0; round < 20; round++) {
      Collections.shuffle(terms, random);
      final HashedVector v = new HashedVector(1);
      for (final double[] t : terms) {
        hasher.number("f" + (int) t[0], t[1], v);
      }
      v.canonical();
      if (first == null) {
        first = v;
        assertThat(v.size()).isBetween(1, 4);
      }
      assertThat(v.size()).isEqualTo(first.size());
      for (int k = 0; k < v.size(); k++) {
        assertThat(v.coordinate(k)).isEqualTo(first.coordinate(k));
        assertThat(Double.doubleToRawLongBits(v.value(k)))
            .isEqualTo(Double.doubleToRawLongBits(first.value(k)));
        if (k > 0) {
          assertThat(v.coordinate(k)).isGreaterThan(v.coordinate(k - 1));
        }
      }
    }
  }

  @Test
  void termsThatCancelOrAreZeroLeaveNoCoordinate() {
    final HashedVector v = new HashedVector();
    v.add(5, 2.0);
    v.add(3, 0.0);
    v.add(5, -2.0);
    v.add(7, 1.5);
    v.add(1, -0.5);
    v.add(7, 1.0);
    v.canonical();
    assertThat(v.size()).isEqualTo(2);
    assertThat(v.coordinate(0)).isEqualTo(1);
    assertThat(v.value(0)).isEqualTo(-0.5);
    assertThat(v.coordinate(1)).isEqualTo(7);
    assertThat(v.value(1)).isEqualTo(2.5);
    v.clear();
    assertThat(v.canonical().size()).isZero();
  }

  @Test
  void aCategoryIsItsNameEqualsItsValueAndAnInteractionJoinsTheSidesWithACaret() {
    final FeatureHasher hasher = new FeatureHasher(20);
    final HashedVector a = new HashedVector();
    final HashedVector b = new HashedVector();
    hasher.category("country", "DE", a);
    hasher.number("country=DE", 1.0, b);
    hasher.interaction("amount", null, 2.5, "country", "DE", 1.0, a);
    hasher.number("amount^country=DE", 2.5, b);
    hasher.interaction("device", "ios", 1.0, "returning", null, 0.0, a);
    hasher.number("device=ios^returning", 0.0, b);
    for (int k = 0; k < 3; k++) {
      assertThat(a.coordinate(k)).isEqualTo(b.coordinate(k));
      assertThat(a.value(k)).isEqualTo(b.value(k));
    }
    // the sign is the hash's: a term whose hash is negative enters negated
    final int h = new Murmur3(0).start().add("country=DE").finish();
    assertThat(a.value(0)).isEqualTo(h >= 0 ? 1.0 : -1.0);
  }

  @Test
  void aNameWhoseHashIsZeroEntersWithAPlusSign() {
    // the empty text hashes to 0 with seed 0 (as scikit-learn's reference says): h >= 0 is +
    assertThat(new Murmur3(0).start().add("").finish()).isZero();
    final HashedVector v = new HashedVector();
    new FeatureHasher(8).number("", 2.0, v);
    assertThat(v.coordinate(0)).isZero();
    assertThat(v.value(0)).isEqualTo(2.0);
  }

  @Test
  void termsOnOneCoordinateAddUpFromTheSmallestWhateverTheirOrder() {
    // an order-dependent sum: 4 from the smallest up, 8 from the largest down
    final double[] values = {1e16, -1e16, 1.0, 2.0, 3.0};
    final double[] sorted = values.clone();
    Arrays.sort(sorted);
    double expected = sorted[0];
    for (int i = 1; i < sorted.length; i++) {
      expected += sorted[i];
    }
    for (int rotation = 0; rotation < values.length; rotation++) {
      final HashedVector v = new HashedVector(1);
      for (int i = 0; i < values.length; i++) {
        v.add(9, values[(i + rotation) % values.length]);
        v.add(4, 1.0); // another coordinate before it, to be sorted past
      }
      v.canonical();
      assertThat(v.size()).isEqualTo(2);
      assertThat(v.coordinate(0)).isEqualTo(4);
      assertThat(v.value(0)).isEqualTo(5.0);
      assertThat(expected).isEqualTo(4.0);
      assertThat(v.coordinate(1)).isEqualTo(9);
      assertThat(Double.doubleToRawLongBits(v.value(1)))
          .isEqualTo(Double.doubleToRawLongBits(expected));
    }
  }

  @Test
  void hashingSettingsAtTheirBounds() {
    assertThat(new FeatureHashing(1, List.of(), 1).bits()).isEqualTo(1);
    assertThat(new FeatureHashing(24, List.of(), 1).maxTerms()).isEqualTo(1);
    assertThat(FeatureHashing.NONE.none()).isTrue();
    assertThat(FeatureHashing.of(5).none()).isFalse();
    assertThat(FeatureHashing.of(5).maxTerms()).isEqualTo(FeatureHashing.DEFAULT_MAX_TERMS);
    assertThat(FeatureHashing.of(5).maxCoordinates())
        .isEqualTo(FeatureHashing.DEFAULT_MAX_COORDINATES);
    assertThat(FeatureHashing.NONE.maxCoordinates()).isZero();
    // what NONE is, made again (its own construction ran before any test)
    assertThat(new FeatureHashing(0, List.of(), 0, 0).none()).isTrue();
    assertThat(new FeatureHashing(4, List.of(), 1, 499_000).maxCoordinates()).isEqualTo(499_000);
    assertThat(new FeatureHashing(4, List.of(), 1, 1).maxCoordinates()).isEqualTo(1);
    assertThatThrownBy(() -> new FeatureHashing(4, List.of(), 1, 499_001))
        .hasMessageStartingWith("max coordinates must be in 1..499000");
    assertThatThrownBy(() -> new FeatureHashing(0, List.of(), 0, 5))
        .hasMessage("interactions, max terms and max coordinates need --hash-bits");
    assertThatThrownBy(() -> new FeatureHashing(-1, List.of(), 1))
        .hasMessage("hash bits must be in 1..24, got -1");
    assertThatThrownBy(() -> new FeatureHashing(0, List.of(), 1))
        .hasMessage("interactions, max terms and max coordinates need --hash-bits");
    assertThatThrownBy(() -> new FeatureHashing(0,
        List.of(FeatureHashing.Interaction.parse("a:b")), 0))
        .hasMessage("interactions, max terms and max coordinates need --hash-bits");
    assertThat(FeatureHashing.Interaction.parse("a:b").toString()).isEqualTo("a:b");
    assertThatThrownBy(() -> FeatureHashing.Interaction.parse("ab"))
        .hasMessage("interactions name two features, a:b, got 'ab'");
    assertThatThrownBy(() -> FeatureHashing.Interaction.parse(":b"))
        .hasMessage("an interaction names two features, a:b");
    assertThatThrownBy(() -> FeatureHashing.Interaction.parse("a:"))
        .hasMessage("an interaction names two features, a:b");
  }
}
