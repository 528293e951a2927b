package io.gradstream.stream;

/** How training event values are encoded on the input topic. */
public enum InputFormat {
  /** LabeledEvent in Avro single-object encoding. */
  AVRO("avro"),
  /** The JSON object of the README's event files, {"x": [...], "d": ...}. */
  JSON("json"),
  /**
   * Avro in a Schema Registry's framing (a zero byte, the schema's 4-byte id, the body), any
   * writer schema that resolves against LabeledEvent.
   */
  AVRO_REGISTRY("avro-registry");

  private final String id;

  InputFormat(final String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** The format {@code id} names; one line naming the formats otherwise. */
  public static InputFormat parse(final String id) {
    for (final InputFormat format : values()) {
      if (format.id.equals(id)) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown input format '" + id
        + "' (expected avro, json or avro-registry)");
  }
}
