package io.gradstream.stream;

import io.gradstream.events.EventEncoder;
import io.gradstream.events.EventFields;

/** Builds event values the way a producer in any language would. */
public final class AvroEvents {
  private static final EventEncoder AVRO = EventEncoder.avro();

  private AvroEvents() {}

  /** A training event. */
  public static byte[] event(final double d, final double... x) {
    return AVRO.encode(x, d);
  }

  /** A prediction, kept pending under {@code id} (when not null), at event time {@code time}. */
  public static byte[] predict(final String id, final long time, final double... x) {
    final EventFields e = new EventFields();
    e.x = x;
    e.id = id;
    e.eventTime = time;
    return AVRO.encode(e);
  }

  /** The label of the prediction {@code id}, at event time {@code time}. */
  public static byte[] label(final String id, final long time, final double d) {
    final EventFields e = new EventFields();
    e.id = id;
    e.d = d;
    e.hasLabel = true;
    e.eventTime = time;
    return AVRO.encode(e);
  }
}
