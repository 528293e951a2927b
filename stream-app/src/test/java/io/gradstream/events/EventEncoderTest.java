package io.gradstream.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventEncoderTest {
  @Test
  void jsonWritesNonFiniteValuesAsTheTokensTheDecoderReadsAsNumbers() throws Exception {
    final byte[] bytes = EventEncoder.json().encode(
        new double[] {Double.NaN, Double.NEGATIVE_INFINITY, 0.1}, Double.POSITIVE_INFINITY);
    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .isEqualTo("{\"x\":[NaN,-Infinity,0.1],\"d\":Infinity}");
    final EventFields read = new EventFields();
    new JsonEventDecoder().decode(bytes, read);
    assertThat(read.x).containsExactly(Double.NaN, Double.NEGATIVE_INFINITY, 0.1);
    assertThat(read.d).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(read.hasLabel).isTrue();
  }
}
