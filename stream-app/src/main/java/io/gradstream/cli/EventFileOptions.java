package io.gradstream.cli;

import io.gradstream.events.CsvExpectations;
import picocli.CommandLine.Option;

/** The flags of feed and replay that say how to read a CSV file's header. */
final class EventFileOptions {
  @Option(names = "--label-column", paramLabel = "NAME",
      defaultValue = CsvExpectations.DEFAULT_LABEL,
      description = "The CSV column that holds the label (default: ${DEFAULT-VALUE}). A file "
          + "without it is refused, unless --predict-only.")
  String labelColumn;

  @Option(names = "--predict-only",
      description = "The CSV file holds no labels on purpose: every row asks for a prediction.")
  boolean predictOnly;

  /** @param features the model's, 0 when the command does not know them */
  CsvExpectations expectations(final int features) {
    return new CsvExpectations(labelColumn, predictOnly, features);
  }
}
