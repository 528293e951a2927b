package io.gradstream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryFramingTest {
  @Test
  void theHeaderIsAZeroByteAndTheIdBigEndianAndReadsBack() {
    assertThat(RegistryFraming.header(0x01020304)).containsExactly(0, 1, 2, 3, 4);
    for (final int id : new int[] {0, 1, 255, 256, 65_536, 0x7FFF_FFFF}) {
      final byte[] value = new byte[] {0, 0, 0, 0, 0, 9};
      System.arraycopy(RegistryFraming.header(id), 0, value, 0, 5);
      assertThat(RegistryFraming.id(value)).isEqualTo(id);
    }
    assertThat(RegistryFraming.id(new byte[] {0, 0, (byte) 0x80, 0, 1})).isEqualTo(0x0080_0001);
    // registries give out ids from 1 up; one past 2^31 - 1 is no id
    assertThat(RegistryFraming.id(new byte[] {0, (byte) 0xFF, 0, 0, 0})).isNegative();
  }

  @Test
  void whatIsNotFramedHasNoId() {
    assertThat(RegistryFraming.id(null)).isEqualTo(-1);
    assertThat(RegistryFraming.id(new byte[] {0, 0, 0, 1})).isEqualTo(-1);
    assertThat(RegistryFraming.id(new byte[] {1, 0, 0, 0, 1})).isEqualTo(-1);
    assertThat(RegistryFraming.id(new byte[] {0, 0, 0, 0, 1})).isEqualTo(1);
    assertThat(RegistryFraming.subject("training-metrics")).isEqualTo("training-metrics-value");
  }
}
