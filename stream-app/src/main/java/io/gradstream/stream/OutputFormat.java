package io.gradstream.stream;

/** How the metrics, predictions, drifts and champions topics' Avro records are framed. */
public enum OutputFormat {
  /** Avro's single-object encoding: the schema's fingerprint, then the body. */
  AVRO("avro"),
  /** A Schema Registry's framing: a zero byte, the schema's 4-byte id there, then the body. */
  AVRO_REGISTRY("avro-registry");

  private final String id;

  OutputFormat(final String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** The format {@code id} names; one line naming the formats otherwise. */
  public static OutputFormat parse(final String id) {
    for (final OutputFormat format : values()) {
      if (format.id.equals(id)) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown output format '" + id
        + "' (expected avro or avro-registry)");
  }
}
