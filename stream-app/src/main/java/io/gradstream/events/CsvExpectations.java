package io.gradstream.events;

import java.util.Set;
import java.util.TreeSet;

/**
 * What the command reading an event file expects of a CSV header, checked before any row is read:
 * a file that would train nothing (no label column) or fail on every row (other features than the
 * model's) is refused as a whole, in one line.
 *
 * @param labelColumn the label's column ({@code --label-column}, default {@value #DEFAULT_LABEL})
 * @param predictOnly the file holds no labels on purpose: every row asks for a prediction
 * @param features how many features the model takes; 0 when the reader does not know (feed)
 * @param named every column but the key, the label, the id and the event time is a named
 *     feature, for a hashed model: a number where the cell is one, else a category
 * @param categorical the columns that are categories even where their cells look like numbers
 * @param labelNames a label that is not a number is a class name (of a multi-class model, or when
 *     the reader does not know the model), not a bad row
 */
public record CsvExpectations(String labelColumn, boolean predictOnly, int features,
    boolean named, Set<String> categorical, boolean labelNames) {
  public static final String DEFAULT_LABEL = "d";

  public CsvExpectations {
    if (labelColumn == null || labelColumn.isBlank()) {
      throw new IllegalArgumentException("label column must not be empty");
    }
    categorical = Set.copyOf(categorical);
    if (!named && !categorical.isEmpty()) {
      throw new IllegalArgumentException("categorical " + String.join(",",
          new TreeSet<>(categorical)) + " needs named features (--hash-bits)");
    }
  }

  /** Features x or x1..xn. */
  public CsvExpectations(final String labelColumn, final boolean predictOnly,
      final int features) {
    this(labelColumn, predictOnly, features, false, Set.of(), false);
  }

  /** Labels in column d, for a model of {@code features} features (0: any). */
  public static CsvExpectations labelled(final int features) {
    return new CsvExpectations(DEFAULT_LABEL, false, features);
  }
}
