package io.gradstream.avro;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageEncoder;

/** The conversions every user of the generated classes needs: bytes and double arrays. */
public final class AvroValues {
  private AvroValues() {}

  /** The two marker bytes that open every single-object encoded datum. */
  public static final byte MARKER_0 = (byte) 0xC3;
  public static final byte MARKER_1 = (byte) 0x01;
  /** Marker and 8-byte fingerprint. */
  public static final int HEADER_LENGTH = 10;

  /** The CRC-64-AVRO fingerprint that names {@code schema} in single-object encoding. */
  public static long fingerprint(final Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** The single-object header of a datum written with the schema of {@code fingerprint}. */
  public static byte[] singleObjectHeader(final long fingerprint) {
    final byte[] header = new byte[HEADER_LENGTH];
    header[0] = MARKER_0;
    header[1] = MARKER_1;
    for (int i = 0; i < 8; i++) {
      header[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    return header;
  }

  /** True when {@code bytes} open with the single-object header of {@code fingerprint}. */
  public static boolean hasHeader(final byte[] bytes, final long fingerprint) {
    return hasMarker(bytes) && headerFingerprint(bytes) == fingerprint;
  }

  /** True when {@code bytes} are long enough for a single-object header and open its marker. */
  public static boolean hasMarker(final byte[] bytes) {
    return bytes.length >= HEADER_LENGTH && bytes[0] == MARKER_0 && bytes[1] == MARKER_1;
  }

  /** The writer schema's fingerprint in the header of {@code bytes} ({@link #hasMarker} holds). */
  public static long headerFingerprint(final byte[] bytes) {
    long f = 0;
    for (int i = 0; i < 8; i++) {
      f |= (bytes[2 + i] & 0xFFL) << (8 * i);
    }
    return f;
  }

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
