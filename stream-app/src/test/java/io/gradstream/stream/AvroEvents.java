package io.gradstream.stream;

import io.gradstream.events.EventEncoder;

/** Builds training event values the way a producer in any language would. */
public final class AvroEvents {
  private static final EventEncoder AVRO = EventEncoder.avro();

  private AvroEvents() {}

  public static byte[] event(final double d, final double... x) {
    return AVRO.encode(x, d);
  }
}
