package io.gradstream.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations as people write them: one unit, several, or ISO-8601. */
class LabelTtlTest {
  @Test
  void durationsReadInTheirUsualForms() {
    assertThat(LabelTtl.parse("t", "90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(LabelTtl.parse("t", "71h59m58s")).isEqualTo(Duration.ofHours(72).minusSeconds(2));
    assertThat(LabelTtl.parse("t", "1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(LabelTtl.parse("t", "2d12h")).isEqualTo(Duration.ofHours(60));
    assertThat(LabelTtl.parse("t", "1s500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(LabelTtl.parse("t", " 7D ")).isEqualTo(Duration.ofDays(7));
    assertThat(LabelTtl.parse("t", "PT1H")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> LabelTtl.parse("label ttl", "1h 30m"))
        .hasMessageStartingWith("label ttl '1h 30m' is not a duration");
    assertThatThrownBy(() -> LabelTtl.parse("label ttl", "h"))
        .hasMessageStartingWith("label ttl 'h' is not a duration");
  }
}
