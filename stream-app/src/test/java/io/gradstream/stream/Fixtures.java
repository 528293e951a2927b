package io.gradstream.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/** Bytes earlier releases wrote, kept as hex lines (comments start with #) in test resources. */
public final class Fixtures {
  private Fixtures() {}

  public static List<byte[]> hexLines(final String resource) throws IOException {
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
          .filter(l -> !l.startsWith("#") && !l.isBlank())
          .map(HexFormat.of()::parseHex).toList();
    }
  }
}
