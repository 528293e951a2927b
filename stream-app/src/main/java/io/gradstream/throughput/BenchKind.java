package io.gradstream.throughput;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What the benchmark's events ask of gradstream, by the name {@code bench --kind} takes. */
public enum BenchKind {
  /** Training events. */
  TRAIN("train"),
  /** Predictions without an id. */
  PREDICT("predict"),
  /** Predictions with an id, each kept pending. */
  PREDICT_PENDING("predict-pending"),
  /** A prediction with an id, then its label, in turn. */
  PREDICT_LABEL("predict-label");

  private final String optionName;

  BenchKind(final String optionName) {
    this.optionName = optionName;
  }

  /** The kind {@code --kind NAME} names; an unknown name is refused with the known ones. */
  public static BenchKind named(final String name) {
    for (final BenchKind kind : values()) {
      if (kind.optionName.equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("kind must be one of " + Arrays.stream(values())
        .map(BenchKind::toString).collect(Collectors.joining(", ")) + ", got '" + name + "'");
  }

  /** The option name, as the bench prints it. */
  @Override
  public String toString() {
    return optionName;
  }
}
