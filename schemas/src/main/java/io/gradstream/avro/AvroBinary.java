package io.gradstream.avro;

import java.io.IOException;
import java.util.Arrays;
import org.apache.avro.io.BinaryDecoder;

/**
 * Reads Avro binary {@code array<double>} into primitives, for the codecs on the per-event path
 * that read the current schemas without boxing ({@link AvroBinaryWriter} writes them).
 */
public final class AvroBinary {
  private AvroBinary() {}

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
