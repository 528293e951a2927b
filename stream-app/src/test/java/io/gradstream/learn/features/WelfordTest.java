package io.gradstream.learn.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The running moments against a two-pass mean and population variance of the same values. */
class WelfordTest {
  @Test
  void eachStepStandardizesWithTheMomentsOfEveryValueSoFarItsOwnIncluded() {
    final Random random = new Random(5);
    final double[] values = new double[500];
    final double[] moments = new double[1 + Welford.SLOTS]; // at an offset, as in a model's array
    for (int n = 0; n < values.length; n++) {
      values[n] = 1e3 + 50 * random.nextGaussian();
      final double scaled = Welford.update(moments, 1, values[n]);
      // two passes over values[0..n]
      double mean = 0;
      for (int i = 0; i <= n; i++) {
        mean += values[i];
      }
      mean /= n + 1;
      double squares = 0;
      for (int i = 0; i <= n; i++) {
        squares += (values[i] - mean) * (values[i] - mean);
      }
      final double variance = squares / (n + 1);
      assertThat(moments[0]).isZero();
      assertThat(moments[1]).isEqualTo(n + 1);
      assertThat(moments[2]).isCloseTo(mean, within(1e-9));
      assertThat(moments[3] / (n + 1)).isCloseTo(variance, within(1e-9 * variance + 1e-12));
      assertThat(Welford.mean(moments, 1)).isEqualTo(moments[2]);
      assertThat(Welford.variance(moments, 1)).isCloseTo(variance,
          within(1e-9 * variance + 1e-12));
      final double expected = variance == 0 ? 0 : (values[n] - mean) / Math.sqrt(variance);
      assertThat(scaled).isCloseTo(expected, within(1e-9));
    }
  }

  @Test
  void aPredictionUsesTheMomentsAndChangesNothing() {
    final double[] moments = new double[Welford.SLOTS];
    Welford.update(moments, 0, 2.0);
    Welford.update(moments, 0, 4.0); // mean 3, variance 1
    final double[] before = moments.clone();
    assertThat(Welford.standardize(moments, 0, 5.0)).isEqualTo(2.0);
    assertThat(Welford.standardize(moments, 0, 3.0)).isZero();
    assertThat(moments).containsExactly(before);
  }

  @Test
  void noVarianceYetGivesZero() {
    final double[] moments = new double[Welford.SLOTS];
    assertThat(Welford.variance(moments, 0)).isZero(); // no value: not 0/0
    assertThat(Welford.standardize(moments, 0, 7.0)).isZero();
    assertThat(Welford.update(moments, 0, 7.0)).isZero(); // one value: variance 0
    assertThat(Welford.update(moments, 0, 7.0)).isZero(); // all alike
    assertThat(Welford.update(moments, 0, 9.0)).isCloseTo(Math.sqrt(2), within(1e-15));
    // values 7, 7, 9: mean 23/3, variance 8/9, (9 − 23/3)/√(8/9) = √2
  }
}
