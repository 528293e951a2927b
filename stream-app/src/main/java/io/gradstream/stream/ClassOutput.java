package io.gradstream.stream;

import io.gradstream.avro.AvroBinaryWriter;
import io.gradstream.learn.Classes;
import io.gradstream.learn.StepResult;
import java.nio.charset.StandardCharsets;

/**
 * A model of K classes' output in a record: its probabilities in class order and its predicted
 * class by name (or index as text), as the two optional fields a Prediction and a TrainingMetric
 * end with. The names' UTF-8 bytes are made once, so an event's record encodes no string.
 */
final class ClassOutput {
  private final byte[][] names;

  /** @param classes the model's classes; null for a model of one output */
  ClassOutput(final Classes classes) {
    this.names = classes == null ? null : new byte[classes.count()][];
    if (classes != null) {
      for (int k = 0; k < names.length; k++) {
        names[k] = classes.name(k).getBytes(StandardCharsets.UTF_8);
      }
    }
  }

  /** Whether the model has K classes. */
  boolean classes() {
    return names != null;
  }

  /**
   * {@code ["null", array<double>]} and {@code ["null", "string"]} of {@code step}'s output: both
   * null for a model of one output (a record that needs the later fields after them).
   */
  void write(final AvroBinaryWriter out, final StepResult step) {
    if (names == null) {
      out.writeLong(0);
      out.writeLong(0);
      return;
    }
    out.writeLong(1);
    out.writeDoubles(step.probabilities());
    out.writeLong(1);
    out.writeUtf8(names[step.label()]);
  }
}
