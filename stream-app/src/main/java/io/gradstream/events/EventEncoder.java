package io.gradstream.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.avro.AvroSafety;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.message.BinaryMessageEncoder;

/** Writes training event values as the service reads them: Avro single-object or JSON. */
public interface EventEncoder {
  byte[] encode(double[] x, double d);

  static EventEncoder avro() {
    AvroSafety.install();
    final BinaryMessageEncoder<LabeledEvent> encoder = LabeledEvent.getEncoder();
    return (x, d) -> AvroValues.bytes(encoder, new LabeledEvent(AvroValues.list(x), d, null));
  }

  /** {"x": [...], "d": ...}, doubles in their shortest exact form (NaN and ±Infinity as tokens). */
  static EventEncoder json() {
    // NaN and ±Infinity as tokens, as the decoder reads them, not as Jackson's default strings
    final JsonFactory factory = JsonFactory.builder()
        .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
        .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
        .build();
    return (x, d) -> {
      final ByteArrayOutputStream out = new ByteArrayOutputStream(16 + 24 * x.length);
      try (JsonGenerator g = factory.createGenerator(out)) {
        g.writeStartObject();
        g.writeArrayFieldStart("x");
        for (final double v : x) {
          g.writeNumber(v);
        }
        g.writeEndArray();
        g.writeNumberField("d", d);
        g.writeEndObject();
      } catch (final IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    };
  }
}
