package io.gradstream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AvroEventDecoderTest {
  private final AvroEventDecoder decoder = new AvroEventDecoder();
  private final EventFields fields = new EventFields();

  @Test
  void readsWhatTheEncoderWrote() throws Exception {
    decoder.decode(EventEncoder.avro().encode(new double[] {0.5, -1e-300, 4.9e-324}, 0.25),
        fields);
    assertThat(fields.x).containsExactly(0.5, -1e-300, 4.9e-324);
    assertThat(fields.d).isEqualTo(0.25);
    assertThat(fields.hasLabel).isTrue();
    assertThat(fields.eventTime).isEqualTo(EventFields.NO_TIME);
  }

  @Test
  void anAbsurdArrayLengthIsRefusedWithoutReadingIt() {
    final byte[] good = EventEncoder.avro().encode(new double[] {1}, 1);
    // the 10-byte header, x's union index 1 (zig-zag 0x02), then Avro's array block count
    // 2,000,000 as a zig-zag varint
    final byte[] huge = Arrays.copyOf(good, 10 + 5);
    System.arraycopy(new byte[] {0x02, (byte) 0x80, (byte) 0x92, (byte) 0xF4, 0x01}, 0, huge,
        10, 5);
    assertThatThrownBy(() -> decoder.decode(huge, fields))
        .isInstanceOf(UndecodableEventException.class)
        .hasMessageContaining("SystemLimitException");
  }

  /** A producer of JSON in front of a service reading Avro is told so in each dead letter. */
  @Test
  void eventsOfTheOtherFormatSayWhichFlagReadsThem() {
    final byte[] json = " {\"x\": [0.5], \"d\": 1}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> decoder.decode(json, new EventFields()))
        .isInstanceOf(UndecodableEventException.class)
        .hasMessage("not a LabeledEvent in Avro single-object encoding: it begins with '{' as "
            + "JSON does (read JSON events with --input-format json)");
    final byte[] avro = EventEncoder.avro().encode(new double[] {1}, 1);
    assertThatThrownBy(() -> new JsonEventDecoder().decode(avro, new EventFields()))
        .isInstanceOf(UndecodableEventException.class)
        .hasMessage("not a JSON event: it begins with C3 01, Avro's single-object marker (read "
            + "Avro events with --input-format avro)");
    // anything else keeps Avro's own words
    assertThatThrownBy(() -> decoder.decode(new byte[] {1, 2, 3}, new EventFields()))
        .hasMessageStartingWith("not a LabeledEvent in Avro single-object encoding: ")
        .hasMessageNotContaining("JSON");
  }
}
