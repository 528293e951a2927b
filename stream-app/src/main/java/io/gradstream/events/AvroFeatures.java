package io.gradstream.events;

import io.gradstream.avro.AvroBinaryWriter;
import io.gradstream.avro.AvroSafety;
import java.io.IOException;
import org.apache.avro.io.Decoder;

/**
 * Named features as Avro writes them in an event and in a pending prediction: a map of ["double",
 * "string", "boolean"] by name (a number, a category, a boolean), read block by block and bounded.
 */
public final class AvroFeatures {
  private AvroFeatures() {}

  /** Adds the map at the decoder's position to {@code into}. */
  public static void read(final Decoder decoder, final NamedFeatures into) throws IOException {
    long read = 0;
    for (long block = decoder.readMapStart(); block != 0; block = decoder.mapNext()) {
      read += block;
      if (block < 0 || read > AvroSafety.MAX_ARRAY_ITEMS) {
        throw new IOException("a features map of more than " + AvroSafety.MAX_ARRAY_ITEMS
            + " entries");
      }
      for (long i = 0; i < block; i++) {
        final String name = decoder.readString();
        switch (decoder.readIndex()) {
          case 0 -> into.number(name, decoder.readDouble());
          case 1 -> into.category(name, decoder.readString());
          case 2 -> into.bool(name, decoder.readBoolean());
          default -> throw new IOException("feature " + name + ": not a number, string or "
              + "boolean");
        }
      }
    }
  }

  /** {@code features} as one block of the map, then its end. */
  public static void write(final NamedFeatures features, final AvroBinaryWriter out) {
    if (features.size() > 0) {
      out.writeLong(features.size());
      for (int i = 0; i < features.size(); i++) {
        out.writeString(features.name(i));
        switch (features.kind(i)) {
          case NUMBER -> {
            out.writeLong(0);
            out.writeDouble(features.value(i));
          }
          case CATEGORY -> {
            out.writeLong(1);
            out.writeString(features.category(i));
          }
          case BOOLEAN -> {
            out.writeLong(2);
            out.writeBoolean(features.value(i) != 0.0);
          }
          default -> throw new IllegalStateException(features.kind(i).name());
        }
      }
    }
    out.writeLong(0);
  }
}
