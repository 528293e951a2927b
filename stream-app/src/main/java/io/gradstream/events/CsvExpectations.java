package io.gradstream.events;

/**
 * What the command reading an event file expects of a CSV header, checked before any row is read:
 * a file that would train nothing (no label column) or fail on every row (other features than the
 * model's) is refused as a whole, in one line.
 *
 * @param labelColumn the label's column ({@code --label-column}, default {@value #DEFAULT_LABEL})
 * @param predictOnly the file holds no labels on purpose: every row asks for a prediction
 * @param features how many features the model takes; 0 when the reader does not know (feed)
 */
public record CsvExpectations(String labelColumn, boolean predictOnly, int features) {
  public static final String DEFAULT_LABEL = "d";

  public CsvExpectations {
    if (labelColumn == null || labelColumn.isBlank()) {
      throw new IllegalArgumentException("label column must not be empty");
    }
  }

  /** Labels in column d, for a model of {@code features} features (0: any). */
  public static CsvExpectations labelled(final int features) {
    return new CsvExpectations(DEFAULT_LABEL, false, features);
  }
}
