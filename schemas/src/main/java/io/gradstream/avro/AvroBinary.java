package io.gradstream.avro;

import java.io.IOException;
import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.avro.io.BinaryDecoder;

/**
 * Reads Avro binary {@code array<double>} into primitives, for the codecs on the per-event path
 * that read the current schemas without boxing ({@link AvroBinaryWriter} writes them).
 */
public final class AvroBinary {
  private AvroBinary() {}

  /** Reads every block of an array; refuses more than {@link AvroSafety#MAX_ARRAY_ITEMS}. */
  public static double[] readDoubles(final BinaryDecoder in) throws IOException {
    return readDoubles(in, null);
  }

  /** Reads every block of an {@code array<int>}; refuses more than the safety limit. */
  public static int[] readInts(final BinaryDecoder in) throws IOException {
    int[] values = new int[0];
    for (long block = in.readArrayStart(); block != 0; block = in.arrayNext()) {
      if (block < 0 || values.length + block > AvroSafety.MAX_ARRAY_ITEMS) {
        throw new IOException("array of more than " + AvroSafety.MAX_ARRAY_ITEMS + " items");
      }
      final int at = values.length;
      values = Arrays.copyOf(values, at + (int) block);
      for (int i = at; i < values.length; i++) {
        values[i] = in.readInt();
      }
    }
    return values;
  }

  /** Reads every block of an {@code array<long>}; refuses more than the safety limit. */
  public static long[] readLongs(final BinaryDecoder in) throws IOException {
    long[] values = new long[0];
    for (long block = in.readArrayStart(); block != 0; block = in.arrayNext()) {
      if (block < 0 || values.length + block > AvroSafety.MAX_ARRAY_ITEMS) {
        throw new IOException("array of more than " + AvroSafety.MAX_ARRAY_ITEMS + " items");
      }
      final int at = values.length;
      values = Arrays.copyOf(values, at + (int) block);
      for (int i = at; i < values.length; i++) {
        values[i] = in.readLong();
      }
    }
    return values;
  }

  /**
   * Reads a {@code map<string>}, in key order; refuses more than {@link
   * AvroSafety#MAX_ARRAY_ITEMS} entries.
   */
  public static SortedMap<String, String> readStringMap(final BinaryDecoder in) throws IOException {
    final SortedMap<String, String> map = new TreeMap<>();
    for (long block = in.readMapStart(); block != 0; block = in.mapNext()) {
      if (block < 0 || map.size() + block > AvroSafety.MAX_ARRAY_ITEMS) {
        throw new IOException("map of more than " + AvroSafety.MAX_ARRAY_ITEMS + " entries");
      }
      for (long i = 0; i < block; i++) {
        map.put(in.readString(), in.readString());
      }
    }
    return map;
  }

  /**
   * As {@link #readDoubles(BinaryDecoder)}, into {@code reuse} when the array has exactly its
   * length: a stream of events of one dimension then decodes without allocating.
   */
  public static double[] readDoubles(final BinaryDecoder in, final double[] reuse)
      throws IOException {
    double[] values = null;
    int n = 0;
    for (long block = in.readArrayStart(); block != 0; block = in.arrayNext()) {
      if (block < 0 || n + block > AvroSafety.MAX_ARRAY_ITEMS) {
        throw new IOException("array of more than " + AvroSafety.MAX_ARRAY_ITEMS + " items");
      }
      if (values == null) {
        values = reuse != null && reuse.length == block ? reuse : new double[(int) block];
      } else {
        values = Arrays.copyOf(values, n + (int) block);
      }
      for (long i = 0; i < block; i++) {
        values[n++] = in.readDouble();
      }
    }
    return values != null ? values : new double[0];
  }
}
