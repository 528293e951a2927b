package io.gradstream.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.avro.ReleasedSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;

/** Writes event values as the service reads them: Avro single-object or JSON. */
public interface EventEncoder {
  /**
   * The event's x or named features (if any), d (if it has one), event time (if any) and id (if
   * any).
   */
  byte[] encode(EventFields event);

  /** A training event without id or event time. */
  default byte[] encode(final double[] x, final double d) {
    final EventFields event = new EventFields();
    event.x = x;
    event.d = d;
    event.hasLabel = true;
    return encode(event);
  }

  /**
   * Avro single-object, each event in the oldest version of LabeledEvent that holds it, as the
   * very bytes of that version (so a service that knows only it reads the event): without named
   * features in version 2, with them in version 3, with a label by class name in the current one.
   */
  static EventEncoder avro() {
    AvroSafety.install();
    final BinaryMessageEncoder<LabeledEvent> current = LabeledEvent.getEncoder();
    final BinaryMessageEncoder<LabeledEvent> version2 = released(ReleasedSchemas.LABELED_EVENT_V2);
    final BinaryMessageEncoder<LabeledEvent> version3 = released(ReleasedSchemas.LABELED_EVENT_V3);
    return e -> {
      final boolean named = e.label != null;
      final LabeledEvent event = new LabeledEvent(e.x == null ? null : AvroValues.list(e.x),
          e.hasLabel && !named ? e.d : null,
          e.eventTime == EventFields.NO_TIME ? null : Instant.ofEpochMilli(e.eventTime), e.id,
          null, e.label);
      if (!e.hasFeatures) {
        return AvroValues.bytes(named ? current : version2, event);
      }
      final Map<String, Object> features = new LinkedHashMap<>();
      for (int i = 0; i < e.features.size(); i++) {
        features.put(e.features.name(i), switch (e.features.kind(i)) {
          case NUMBER -> e.features.value(i);
          case BOOLEAN -> e.features.value(i) != 0.0;
          case CATEGORY -> e.features.category(i);
        });
      }
      event.setFeatures(features);
      return AvroValues.bytes(named ? current : version3, event);
    };
  }

  private static BinaryMessageEncoder<LabeledEvent> released(final String version) {
    return new BinaryMessageEncoder<>(SpecificData.getForClass(LabeledEvent.class),
        ReleasedSchemas.load(version));
  }

  /**
   * {"x": [...] or "features": {...}, "d": ..., "eventTime": ..., "id": ...} with the fields the
   * event has, doubles in their shortest exact form (NaN and ±Infinity as tokens).
   */
  static EventEncoder json() {
    // NaN and ±Infinity as tokens, as the decoder reads them, not as Jackson's default strings
    final JsonFactory factory = JsonFactory.builder()
        .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
        .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
        .build();
    return e -> {
      final ByteArrayOutputStream out = new ByteArrayOutputStream(
          48 + 24 * (e.x == null ? 0 : e.x.length));
      try (JsonGenerator g = factory.createGenerator(out)) {
        g.writeStartObject();
        if (e.x != null) {
          g.writeArrayFieldStart("x");
          for (final double v : e.x) {
            g.writeNumber(v);
          }
          g.writeEndArray();
        }
        if (e.hasFeatures) {
          g.writeObjectFieldStart("features");
          for (int i = 0; i < e.features.size(); i++) {
            g.writeFieldName(e.features.name(i));
            switch (e.features.kind(i)) {
              case NUMBER -> g.writeNumber(e.features.value(i));
              case BOOLEAN -> g.writeBoolean(e.features.value(i) != 0.0);
              case CATEGORY -> g.writeString(e.features.category(i));
            }
          }
          g.writeEndObject();
        }
        if (e.label != null) {
          g.writeStringField("d", e.label);
        } else if (e.hasLabel) {
          g.writeNumberField("d", e.d);
        }
        if (e.eventTime != EventFields.NO_TIME) {
          g.writeNumberField("eventTime", e.eventTime);
        }
        if (e.id != null) {
          g.writeStringField("id", e.id);
        }
        g.writeEndObject();
      } catch (final IOException ex) {
        throw new UncheckedIOException(ex);
      }
      return out.toByteArray();
    };
  }
}
