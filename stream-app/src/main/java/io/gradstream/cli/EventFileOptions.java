package io.gradstream.cli;

import io.gradstream.events.CsvExpectations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

  @Option(names = "--categorical", paramLabel = "A,B", split = ",",
      description = "With named features: these CSV columns are categories even where their "
          + "cells look like numbers (zip codes).")
  List<String> categorical = new ArrayList<>();

  /**
   * @param features the model's, 0 when the command does not know them
   * @param named a CSV's columns are named features (a hashed model's)
   * @param labelNames a label that is not a number is a class name
   */
  CsvExpectations expectations(final int features, final boolean named,
      final boolean labelNames) {
    return new CsvExpectations(labelColumn, predictOnly, features, named,
        new HashSet<>(categorical), labelNames);
  }
}
