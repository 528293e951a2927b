package io.gradstream.learn.race;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A key's race worked by hand: half-life 1 (a = 1/2), warm-up 2; the first event names the first
 * variant, the warm-up's end the lowest weighted loss, and each change says who it took over from.
 */
class KeyRaceTest {
  private static final RaceRule RULE = new RaceRule(1, 2);

  @Test
  void aRaceWorkedByHand() {
    final KeyRace race = new KeyRace(3);
    assertThat(race.champion()).isEqualTo(-1);
    assertThat(race.serving()).isZero();
    assertThat(race.variants()).isEqualTo(3);
    assertThat(Double.isNaN(race.lossEwma(0))).isTrue();

    race.stepped(0, 4, RULE);
    race.stepped(1, 2, RULE);
    assertThat(race.decide(RULE)).as("the first event names the first champion").isTrue();
    assertThat(race.champion()).isZero();
    assertThat(race.previous()).isEqualTo(-1);
    assertThat(race.events()).isEqualTo(1);
    assertThat(race.lossEwma(0)).isEqualTo(4);
    assertThat(race.lossEwma(1)).isEqualTo(2);

    // m ← m + (L − m)/2: 4 → 3, 2 → 5; variant 2's first loss is 1
    race.stepped(0, 2, RULE);
    race.stepped(1, 8, RULE);
    race.stepped(2, 1, RULE);
    assertThat(race.decide(RULE)).as("the warm-up ends: the lowest, variant 2").isTrue();
    assertThat(race.lossEwma(0)).isEqualTo(3);
    assertThat(race.lossEwma(1)).isEqualTo(5);
    assertThat(race.champion()).isEqualTo(2);
    assertThat(race.serving()).isEqualTo(2);
    assertThat(race.previous()).isZero();
    assertThat(race.events()).isEqualTo(2);

    race.stepped(2, 1, RULE);
    assertThat(race.decide(RULE)).as("the same champion is no change").isFalse();
    assertThat(race.previous()).isEqualTo(2);
    assertThat(race.events()).isEqualTo(3);
  }

  @Test
  void aStoredRaceGoesOnAsItWas() {
    final double[] m = {0.5, Double.NaN, 0.25};
    final KeyRace race = KeyRace.restore(m, 7, 2);
    m[0] = 99; // the race keeps its own copy
    assertThat(race.lossEwma(0)).isEqualTo(0.5);
    assertThat(race.champion()).isEqualTo(2);
    assertThat(race.previous()).isEqualTo(2);
    assertThat(race.events()).isEqualTo(7);
    race.stepped(0, 0.0, RULE);
    assertThat(race.decide(RULE)).isTrue();
    assertThat(race.champion()).isZero();
    assertThat(race.previous()).isEqualTo(2);
    assertThat(KeyRace.restore(new double[] {1, 2}, 0, -1).serving()).isZero();
    for (final int champion : new int[] {-2, 3}) {
      assertThatThrownBy(() -> KeyRace.restore(new double[3], 7, champion))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a race of 3 variants cannot have champion " + champion + " after 7 "
              + "events");
    }
    assertThatThrownBy(() -> KeyRace.restore(new double[3], -1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aStandingNamesItsServingVariantAndNeedsItsModel() {
    final Model model = new Model(new double[] {1}, false, 0, 3, 0.5);
    final RaceStanding standing = new RaceStanding(List.of("a", "b"), 1, 3,
        new double[] {0.5, 0.25}, Arrays.asList(null, model));
    assertThat(standing.variant()).isEqualTo("b");
    assertThatThrownBy(() -> new RaceStanding(List.of("a", "b"), 0, 3, new double[2],
        Arrays.asList(null, model))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RaceStanding(List.of("a", "b"), 1, 3, new double[1],
        Arrays.asList(null, model))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RaceStanding(List.of("a"), 0, 3, new double[1],
        Arrays.asList(null, model))).isInstanceOf(IllegalArgumentException.class);
    assertThat(model.inRace(standing).race()).isSameAs(standing);
  }

  @Test
  void aRaceSpecNamesEachOfItsVariantsOnce() {
    final ModelSpec spec = new ModelSpec(1, false, Activation.SIGMOID, 0.1, null, 0);
    final RaceSpec race = new RaceSpec(List.of("a", "b"), List.of(spec, spec), RULE);
    assertThat(race.variants()).isEqualTo(2);
    assertThat(race.indexOf("b")).isEqualTo(1);
    assertThatThrownBy(() -> new RaceSpec(List.of("a"), List.of(spec), RULE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RaceSpec(List.of("a", "b"), List.of(spec), RULE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RaceSpec(List.of("a", "a"), List.of(spec, spec), RULE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named twice");
  }
}
