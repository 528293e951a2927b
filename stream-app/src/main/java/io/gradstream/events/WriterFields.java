package io.gradstream.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Takes an event over from a record read with a producer's own schema, by LabeledEvent's field
 * names, once the schema was found to resolve against LabeledEvent's: numbers are promoted to
 * doubles (and longs) and bytes to strings as Avro's resolution promotes them, a field the writer
 * lacks is absent.
 */
final class WriterFields {
  private final int x;
  private final int d;
  private final int eventTime;
  private final int id;
  private final int features;
  private final int label;

  WriterFields(final Schema writer) {
    x = position(writer, "x");
    d = position(writer, "d");
    eventTime = position(writer, "eventTime");
    id = position(writer, "id");
    features = position(writer, "features");
    label = position(writer, "label");
  }

  private static int position(final Schema writer, final String name) {
    final Schema.Field field = writer.getField(name);
    return field == null ? -1 : field.pos();
  }

  void fill(final GenericRecord record, final EventFields into) {
    final Object xs = get(record, x);
    if (xs != null) {
      final List<?> values = (List<?>) xs;
      into.x = new double[values.size()];
      for (int i = 0; i < into.x.length; i++) {
        into.x[i] = ((Number) values.get(i)).doubleValue();
      }
    }
    final Object desired = get(record, d);
    if (desired != null) {
      into.d = ((Number) desired).doubleValue();
      into.hasLabel = true;
    }
    final Object time = get(record, eventTime);
    if (time != null) {
      into.eventTime = ((Number) time).longValue();
    }
    final Object name = get(record, id);
    into.id = text(name);
    final Object named = get(record, features);
    if (named != null) {
      into.hasFeatures = true;
      for (final Map.Entry<?, ?> feature : ((Map<?, ?>) named).entrySet()) {
        final String key = feature.getKey().toString();
        if (feature.getValue() instanceof Boolean b) {
          into.features.bool(key, b);
        } else if (feature.getValue() instanceof Number n) {
          into.features.number(key, n.doubleValue());
        } else {
          into.features.category(key, text(feature.getValue()));
        }
      }
    }
    final Object className = get(record, label);
    if (className != null) {
      into.label = text(className);
      into.hasLabel = true;
    }
  }

  /** A string as Avro reads it: text, or bytes (which resolve to a string) as UTF-8. */
  private static String text(final Object value) {
    if (value instanceof ByteBuffer bytes) {
      return StandardCharsets.UTF_8.decode(bytes.duplicate()).toString();
    }
    return value == null ? null : value.toString();
  }

  private static Object get(final GenericRecord record, final int position) {
    return position < 0 ? null : record.get(position);
  }
}
