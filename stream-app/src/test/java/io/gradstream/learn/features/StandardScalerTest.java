package io.gradstream.learn.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A model's scaler against a two-pass mean and population variance of each feature's values so
 * far, its own value included; a refused step (train without commit) and a prediction change
 * nothing.
 */
class StandardScalerTest {
  private final Random random = new Random(3);

  /** (v − mean)/√var over {@code values}, two passes; 0 when the variance is 0. */
  private static double twoPass(final List<Double> values, final double v) {
    double mean = 0;
    for (final double x : values) {
      mean += x;
    }
    mean /= values.size();
    double squares = 0;
    for (final double x : values) {
      squares += (x - mean) * (x - mean);
    }
    final double variance = squares / values.size();
    return variance == 0 ? 0 : (v - mean) / Math.sqrt(variance);
  }

  @Test
  void xIsStandardizedCoordinateByCoordinate() {
    final StandardScaler scaler = StandardScaler.dense(3);
    final List<List<Double>> seen = List.of(new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>());
    final double[] out = new double[3];
    for (int n = 0; n < 200; n++) {
      final double[] x = {random.nextGaussian(), 100 + 20 * random.nextGaussian(), 4.0};
      final double[] before = scaler.moments().clone();
      scaler.train(x, out);
      assertThat(scaler.moments()).containsExactly(before); // nothing until committed
      scaler.commit(x);
      for (int i = 0; i < 3; i++) {
        seen.get(i).add(x[i]);
        assertThat(out[i]).isCloseTo(twoPass(seen.get(i), x[i]), within(1e-9));
      }
      assertThat(out[2]).isZero(); // a constant coordinate has no variance
      final double[] probe = {0.5, 90, 4.0};
      scaler.serve(probe, out);
      for (int i = 0; i < 3; i++) {
        assertThat(out[i]).isCloseTo(twoPass(seen.get(i), probe[i]), within(1e-9));
      }
    }
  }

  @Test
  void namedFeaturesKeepMomentsOfTheirOwnFromTheirFirstValue() {
    final StandardScaler scaler = StandardScaler.named();
    final List<Double> amounts = new ArrayList<>();
    final List<Double> ages = new ArrayList<>();
    for (int n = 0; n < 100; n++) {
      final double amount = 1000 * random.nextDouble();
      final double scaled = scaler.train("amount", amount);
      scaler.commit("amount", amount);
      amounts.add(amount);
      assertThat(scaled).isCloseTo(twoPass(amounts, amount), within(1e-9));
      if (n % 3 == 0) { // present in a third of the events: its moments count those only
        final double age = 18 + random.nextInt(60);
        final double scaledAge = scaler.train("age", age);
        scaler.commit("age", age);
        ages.add(age);
        assertThat(scaledAge).isCloseTo(twoPass(ages, age), within(1e-9));
      }
    }
    assertThat(scaler.size()).isEqualTo(2);
    assertThat(scaler.has("age")).isTrue();
    assertThat(scaler.has("height")).isFalse();
    assertThat(scaler.name(0)).isEqualTo("amount");
    assertThat(scaler.name(1)).isEqualTo("age");
    assertThat(scaler.moments()[0]).isEqualTo(100);
    assertThat(scaler.moments()[3]).isEqualTo(34);
    assertThat(scaler.serve("age", 40)).isCloseTo(twoPass(ages, 40), within(1e-9));
    // never trained on: nothing to standardize with
    assertThat(scaler.serve("height", 1.8)).isZero();
    assertThat(scaler.train("height", 1.8)).isZero();
    assertThat(scaler.size()).isEqualTo(2);
  }

  @Test
  void manyNamesGrowTheScalerAndACopyIsItsOwn() {
    final StandardScaler scaler = StandardScaler.named();
    for (int i = 0; i < 50; i++) {
      scaler.commit("f" + i, i);
      scaler.commit("f" + i, 2 * i + 1);
    }
    final StandardScaler copy = scaler.copy();
    for (int i = 0; i < 50; i++) {
      // values i and 2i+1: mean (3i+1)/2, variance ((i+1)/2)^2, 2i+1 standardizes to 1
      assertThat(scaler.serve("f" + i, 2 * i + 1)).isCloseTo(1.0, within(1e-12));
      assertThat(copy.serve("f" + i, i)).isCloseTo(-1.0, within(1e-12));
    }
    copy.commit("f0", 100);
    assertThat(scaler.moments()[0]).isEqualTo(2);
    assertThat(copy.moments()[0]).isEqualTo(3);
    final StandardScaler stored = StandardScaler.of(List.of("a", "b"),
        new double[] {2, 3, 2, 1, 5, 0});
    assertThat(stored.serve("a", 4)).isEqualTo(1.0);
    assertThat(stored.serve("b", 9)).isZero();
  }

  @Test
  void aStoredScalerMustHoldMomentsThatCanBe() {
    assertThatThrownBy(() -> StandardScaler.of(List.of("a"), new double[] {1, 2}))
        .hasMessageContaining("a scaler of 1 features has 3 moments, got 2");
    assertThatThrownBy(() -> StandardScaler.of(List.of("a", "b"), new double[5]))
        .hasMessageContaining("a scaler of 2 features has 6 moments, got 5");
    assertThatThrownBy(() -> StandardScaler.of(null, new double[] {1.5, 0, 0}))
        .hasMessageContaining("whole count");
    assertThatThrownBy(() -> StandardScaler.of(null, new double[] {-1, 0, 0}))
        .hasMessageContaining("whole count");
    assertThatThrownBy(() -> StandardScaler.of(null, new double[] {1, Double.NaN, 0}))
        .hasMessageContaining("finite mean");
    assertThatThrownBy(() -> StandardScaler.of(null, new double[] {1, 0, -1}))
        .hasMessageContaining("M2 ≥ 0");
    assertThatThrownBy(() -> StandardScaler.of(null, new double[] {1, 0,
        Double.POSITIVE_INFINITY})).hasMessageContaining("M2 ≥ 0");
    assertThatThrownBy(() -> StandardScaler.of(List.of("a", "a"), new double[6]))
        .hasMessageContaining("names feature \"a\" twice");
    assertThat(StandardScaler.of(null, new double[6]).byName()).isFalse();
    assertThat(StandardScaler.of(null, new double[6]).size()).isEqualTo(2);
  }

  /** Standardized, NaN and infinity would turn into 0 and be learnt from; they stay as given. */
  @Test
  void aNonFiniteValueStaysNonFiniteForTheLearnerToRefuse() {
    final StandardScaler dense = StandardScaler.dense(2);
    dense.commit(new double[] {1, 2});
    dense.commit(new double[] {3, 2});
    final double[] out = new double[2];
    for (final double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY}) {
      dense.train(new double[] {bad, bad}, out);
      assertThat(Double.compare(out[0], bad) == 0 && Double.compare(out[1], bad) == 0).isTrue();
      dense.serve(new double[] {bad, bad}, out);
      assertThat(Double.compare(out[0], bad) == 0 && Double.compare(out[1], bad) == 0).isTrue();
      final StandardScaler named = StandardScaler.named();
      named.commit("a", 1);
      named.commit("a", 3);
      assertThat(Double.doubleToRawLongBits(named.train("a", bad)))
          .isEqualTo(Double.doubleToRawLongBits(bad));
      assertThat(Double.doubleToRawLongBits(named.serve("a", bad)))
          .isEqualTo(Double.doubleToRawLongBits(bad));
      assertThat(Double.doubleToRawLongBits(named.train("never", bad)))
          .isEqualTo(Double.doubleToRawLongBits(bad));
      assertThat(Double.doubleToRawLongBits(named.serve("never", bad)))
          .isEqualTo(Double.doubleToRawLongBits(bad));
    }
    dense.train(new double[] {3, 2}, out);
    // values 1, 3, 3: mean 7/3, variance 8/9, (3 − 7/3)/√(8/9) = 1/√2
    assertThat(out[0]).isCloseTo(Math.sqrt(0.5), within(1e-12));
    assertThat(out[1]).isZero();
  }

  @Test
  void scalingsByTheirNames() {
    assertThat(FeatureScaling.of("standard")).isEqualTo(FeatureScaling.STANDARD);
    assertThat(FeatureScaling.of("none")).isEqualTo(FeatureScaling.NONE);
    assertThat(FeatureScaling.of("minmax")).isNull();
    assertThat(FeatureScaling.STANDARD.id()).isEqualTo("standard");
  }

  @Test
  void previewIsTheUpdatesValueWithoutTheUpdate() {
    final double[] moments = new double[Welford.SLOTS];
    for (int n = 0; n < 50; n++) {
      final double v = random.nextGaussian() * 3 + 1;
      final double[] before = moments.clone();
      final double previewed = Welford.preview(moments, 0, v);
      assertThat(moments).containsExactly(before);
      assertThat(Welford.update(moments, 0, v)).isEqualTo(previewed);
    }
  }
}
