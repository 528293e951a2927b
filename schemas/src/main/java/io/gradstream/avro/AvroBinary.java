package io.gradstream.avro;

import java.io.IOException;
import java.util.Arrays;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;

/**
 * Avro binary of {@code array<double>} and {@code ["null", "double"]} from and to primitives, for
 * the codecs on the per-event path that write and read the current schemas without boxing.
 */
public final class AvroBinary {
  private AvroBinary() {}

  public static void writeDoubles(final BinaryEncoder out, final double[] values)
      throws IOException {
    out.writeArrayStart();
    out.setItemCount(values.length);
    for (final double v : values) {
      out.startItem();
      out.writeDouble(v);
    }
    out.writeArrayEnd();
  }

  /** Union index 0 is null, 1 the double. */
  public static void writeOptionalDouble(final BinaryEncoder out, final boolean present,
      final double value) throws IOException {
    if (present) {
      out.writeIndex(1);
      out.writeDouble(value);
    } else {
      out.writeIndex(0);
    }
  }

  /** Reads every block of an array; refuses more than {@link AvroSafety#MAX_ARRAY_ITEMS}. */
  public static double[] readDoubles(final BinaryDecoder in) throws IOException {
    double[] values = new double[0];
    int n = 0;
    for (long block = in.readArrayStart(); block != 0; block = in.arrayNext()) {
      if (block < 0 || n + block > AvroSafety.MAX_ARRAY_ITEMS) {
        throw new IOException("array of more than " + AvroSafety.MAX_ARRAY_ITEMS + " items");
      }
      values = n == 0 && values.length == 0 ? new double[(int) block]
          : Arrays.copyOf(values, n + (int) block);
      for (long i = 0; i < block; i++) {
        values[n++] = in.readDouble();
      }
    }
    return values;
  }
}
