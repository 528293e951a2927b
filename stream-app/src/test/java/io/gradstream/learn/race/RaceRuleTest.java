package io.gradstream.learn.race;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The champion rule worked by hand: a half life of 1 event makes a = ½. */
class RaceRuleTest {
  private static final double NONE = Double.NaN;

  @Test
  void aVariantsFirstLossIsItsWeightedLossThenEachHalvesTheDistance() {
    final RaceRule rule = new RaceRule(1, 0);
    assertThat(rule.alpha()).isEqualTo(0.5);
    assertThat(rule.next(NONE, 4.0)).isEqualTo(4.0);
    assertThat(rule.next(4.0, 2.0)).isEqualTo(3.0);
    assertThat(rule.next(3.0, 3.0)).isEqualTo(3.0);
    // H = 200: a loss 200 events old weighs half, a = 1 − 2^(−1/200)
    final RaceRule slow = new RaceRule(200, 100);
    double weight = 1.0;
    for (int t = 0; t < 200; t++) {
      weight *= 1.0 - slow.alpha();
    }
    assertThat(weight).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void theLowestWeightedLossWinsAfterTheWarmupTiesToTheFirstListed() {
    final RaceRule rule = new RaceRule(1, 3);
    final double[] m = {2.0, 1.0, 1.0};
    assertThat(rule.champion(m, 0)).isZero();
    assertThat(rule.champion(m, 2)).as("still warming up").isZero();
    assertThat(rule.champion(m, 3)).as("the first of the two lowest").isEqualTo(1);
    assertThat(rule.champion(new double[] {1.0, 1.0}, 3)).isZero();
    assertThat(rule.champion(new double[] {3.0, 2.0, 0.5}, 9)).isEqualTo(2);
    // a variant that has not stepped cannot win, unless none has
    assertThat(rule.champion(new double[] {NONE, 5.0, NONE}, 9)).isEqualTo(1);
    assertThat(rule.champion(new double[] {5.0, NONE}, 9)).isZero();
    assertThat(rule.champion(new double[] {NONE, NONE}, 9)).isZero();
    // a diverged variant's infinite loss loses to any finite one
    assertThat(rule.champion(new double[] {Double.POSITIVE_INFINITY, 1e300}, 9)).isEqualTo(1);
  }

  @Test
  void badSettingsAreRefusedWithTheirReason() {
    assertThatThrownBy(() -> new RaceRule(0, 0)).hasMessageContaining("race half life");
    assertThatThrownBy(() -> new RaceRule(Double.POSITIVE_INFINITY, 0))
        .hasMessageContaining("race half life");
    assertThatThrownBy(() -> new RaceRule(Double.NaN, 0)).hasMessageContaining("half life");
    assertThatThrownBy(() -> new RaceRule(1, -1)).hasMessageContaining("race warmup");
    assertThat(new RaceRule(RaceRule.DEFAULT_HALF_LIFE, RaceRule.DEFAULT_WARMUP).warmup())
        .isEqualTo(100);
  }
}
