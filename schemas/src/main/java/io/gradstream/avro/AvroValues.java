package io.gradstream.avro;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.message.BinaryMessageEncoder;

/** The conversions every user of the generated classes needs: bytes and double arrays. */
public final class AvroValues {
  private AvroValues() {}

  /** One datum in single-object encoding, as the bytes of a Kafka record value. */
  public static <T> byte[] bytes(final BinaryMessageEncoder<T> encoder, final T datum) {
    try {
      final ByteBuffer buf = encoder.encode(datum);
      final byte[] bytes = new byte[buf.remaining()];
      buf.get(bytes);
      return bytes;
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Avro's array of double as the generated classes hold it. */
  public static List<Double> list(final double[] values) {
    final List<Double> list = new ArrayList<>(values.length);
    for (final double v : values) {
      list.add(v);
    }
    return list;
  }

  public static double[] array(final List<Double> values) {
    final double[] array = new double[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }
}
