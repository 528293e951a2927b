package io.gradstream.avro;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes Avro binary (single-object encoding) into one reused, growing byte array, for the codecs
 * that run once or twice per event. Avro's own encoders write through an {@code OutputStream} a
 * few bytes at a time, and that stream's synchronized, bounds-checked writes cost more than the
 * encoding itself. The encodings are Avro's: zig-zag varints, little-endian IEEE doubles from
 * {@link Double#doubleToRawLongBits}, length-prefixed UTF-8, arrays as one block and a 0.
 */
public final class AvroBinaryWriter {
  /** Eight bytes of the buffer as one little-endian long: one store instead of eight. */
  private static final VarHandle LITTLE_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private byte[] buffer;
  private int position;

  public AvroBinaryWriter(final int initialCapacity) {
    buffer = new byte[initialCapacity];
  }

  /** Starts a new datum: the single-object marker and the fingerprint of its schema. */
  public AvroBinaryWriter start(final long fingerprint) {
    position = 0;
    ensure(AvroValues.HEADER_LENGTH);
    buffer[position++] = AvroValues.MARKER_0;
    buffer[position++] = AvroValues.MARKER_1;
    writeFixedLong(fingerprint);
    return this;
  }

  /** Starts a new datum after {@code header} (a {@link Framing}'s, which names its schema). */
  public AvroBinaryWriter start(final byte[] header) {
    position = 0;
    ensure(header.length);
    System.arraycopy(header, 0, buffer, 0, header.length);
    position = header.length;
    return this;
  }

  public void writeInt(final int value) {
    writeLong(value);
  }

  public void writeLong(final long value) {
    ensure(10);
    long n = (value << 1) ^ (value >> 63);
    while ((n & ~0x7FL) != 0) {
      buffer[position++] = (byte) ((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    buffer[position++] = (byte) n;
  }

  /** An Avro boolean: one byte, 0 or 1. */
  public void writeBoolean(final boolean value) {
    ensure(1);
    buffer[position++] = (byte) (value ? 1 : 0);
  }

  public void writeDouble(final double value) {
    ensure(8);
    writeFixedLong(Double.doubleToRawLongBits(value));
  }

  /** An Avro string whose UTF-8 bytes the caller already holds. */
  public void writeUtf8(final byte[] utf8) {
    writeLong(utf8.length);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, buffer, position, utf8.length);
    position += utf8.length;
  }

  public void writeString(final String value) {
    writeUtf8(value.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code array<double>}: one block of all items, then the end-of-array 0. */
  public void writeDoubles(final double[] values) {
    writeDoubles(values, values.length, values, 0);
  }

  /**
   * {@code array<double>} of the first {@code firstLength} items of {@code first} followed by the
   * first {@code secondLength} of {@code second}: one block, as Avro writes an array.
   */
  public void writeDoubles(final double[] first, final int firstLength, final double[] second,
      final int secondLength) {
    final int length = firstLength + secondLength;
    if (length > 0) {
      writeLong(length);
      ensure(8 * length);
      for (int i = 0; i < firstLength; i++) {
        writeFixedLong(Double.doubleToRawLongBits(first[i]));
      }
      for (int i = 0; i < secondLength; i++) {
        writeFixedLong(Double.doubleToRawLongBits(second[i]));
      }
    }
    writeLong(0);
  }

  /** {@code array<int>}: one block of all values, then the end-of-array 0. */
  public void writeInts(final int[] values) {
    writeInts(values, values.length);
  }

  /** {@code array<int>} of the first {@code length} values. */
  public void writeInts(final int[] values, final int length) {
    if (length > 0) {
      writeLong(length);
      for (int i = 0; i < length; i++) {
        writeInt(values[i]);
      }
    }
    writeLong(0);
  }

  /** {@code array<long>}: one block of all values, then the end-of-array 0. */
  public void writeLongs(final long[] values) {
    if (values.length > 0) {
      writeLong(values.length);
      for (final long value : values) {
        writeLong(value);
      }
    }
    writeLong(0);
  }

  /** {@code map<string>}: one block of all entries, in the map's order, then the end-of-map 0. */
  public void writeStringMap(final Map<String, String> entries) {
    if (!entries.isEmpty()) {
      writeLong(entries.size());
      entries.forEach((key, value) -> {
        writeString(key);
        writeString(value);
      });
    }
    writeLong(0);
  }

  /** Bytes that are already Avro binary (a value encoded once and written with many datums). */
  public void writeEncoded(final byte[] encoded) {
    ensure(encoded.length);
    System.arraycopy(encoded, 0, buffer, position, encoded.length);
    position += encoded.length;
  }

  /** {@code ["null", "double"]}: union index 0 is null, 1 the double. */
  public void writeOptionalDouble(final boolean present, final double value) {
    if (present) {
      writeLong(1);
      writeDouble(value);
    } else {
      writeLong(0);
    }
  }

  /** {@code ["null", "long"]} (or a timestamp): union index 0 is null, 1 the long. */
  public void writeOptionalLong(final boolean present, final long value) {
    if (present) {
      writeLong(1);
      writeLong(value);
    } else {
      writeLong(0);
    }
  }

  /** {@code ["null", "string"]}: union index 0 is null (a null {@code value}), 1 the string. */
  public void writeOptionalString(final String value) {
    if (value != null) {
      writeLong(1);
      writeString(value);
    } else {
      writeLong(0);
    }
  }

  /** The datum written since {@link #start}, as a new array the caller may keep. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, position);
  }

  private void writeFixedLong(final long bits) {
    LITTLE_ENDIAN_LONG.set(buffer, position, bits);
    position += 8;
  }

  private void ensure(final int more) {
    if (buffer.length - position < more) {
      buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, position + more));
    }
  }
}
