package io.gradstream.stream;

import io.gradstream.avro.LabeledEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Builds training event values the way a producer in any language would. */
public final class AvroEvents {
  private AvroEvents() {}

  public static byte[] event(final double d, final double... x) {
    final List<Double> xs = new ArrayList<>();
    for (final double v : x) {
      xs.add(v);
    }
    try {
      final ByteBuffer buf = new LabeledEvent(xs, d, null).toByteBuffer();
      final byte[] bytes = new byte[buf.remaining()];
      buf.get(bytes);
      return bytes;
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
