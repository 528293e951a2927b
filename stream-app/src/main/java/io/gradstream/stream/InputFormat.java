package io.gradstream.stream;

/** How training event values are encoded on the input topic. */
public enum InputFormat {
  /** LabeledEvent in Avro single-object encoding. */
  AVRO,
  /** The JSON object of the README's event files, {"x": [...], "d": ...}. */
  JSON
}
