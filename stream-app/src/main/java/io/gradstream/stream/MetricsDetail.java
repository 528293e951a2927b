package io.gradstream.stream;

import java.util.Locale;

/**
 * How much of a network each training metric carries. One neuron's metric always has its
 * gradient and weights; a network's has them (all its parameters) only in {@link #FULL}, since
 * they would make every record large. Both carry the gradient norm of every layer.
 */
public enum MetricsDetail {
  SUMMARY,
  FULL;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the values when {@code text} is none of them */
  public static MetricsDetail parse(final String text) {
    for (final MetricsDetail d : values()) {
      if (d.id().equals(text)) {
        return d;
      }
    }
    throw new IllegalArgumentException("metrics detail must be summary or full, got '" + text
        + "'");
  }
}
