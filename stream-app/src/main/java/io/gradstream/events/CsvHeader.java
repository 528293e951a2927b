package io.gradstream.events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the key, the label, the features, the id and the event time sit in a CSV header: {@code
 * key}, the label ({@code d} unless the reader names another), {@code id} and {@code eventTime} at
 * most once each, and the features either
 * {@code x} alone or {@code x1..xn} with none missing and none twice; a file has a label column, or
 * feature columns, or both. Other columns are ignored. A header that does not say unambiguously
 * which cell is which is refused as a whole, since every row would otherwise be read on a guess.
 *
 * @param cells how many cells the header has, and so every row
 * @param key the key's column, or -1 when the file has none (as for label, id and eventTime)
 * @param features the feature columns in order, none when the file holds only labels
 * @param names the header's names, for named features
 * @param categorical for named features: whether each feature column is a category whatever its
 *     cells look like
 */
record CsvHeader(int cells, int key, int label, int[] features, int id, int eventTime,
    List<String> names, boolean[] categorical) {
  private static final Pattern NUMBERED = Pattern.compile("x([0-9]+)");

  static CsvHeader of(final List<String> names, final CsvExpectations expected)
      throws EventFileException {
    if (expected.named()) {
      return named(names, expected);
    }
    final String labelColumn = expected.labelColumn();
    final Map<String, Integer> columns = new HashMap<>();
    final TreeMap<Integer, String> numbered = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) {
      final String name = names.get(i);
      final Matcher m = NUMBERED.matcher(name);
      final boolean ours = name.equals("key") || name.equals(labelColumn) || name.equals("x")
          || name.equals("id") || name.equals("eventTime") || m.matches();
      if (!ours) {
        continue;
      }
      final Integer before = columns.put(name, i);
      if (before != null) {
        throw new EventFileException("the CSV header names '" + name + "' twice (columns "
            + (before + 1) + " and " + (i + 1) + ")");
      }
      if (m.matches()) {
        final String digits = m.group(1);
        if (digits.startsWith("0") || digits.length() > 9) {
          throw new EventFileException("the CSV header has a feature column '" + name
              + "'; features are named x1, x2, ... (or x alone)");
        }
        numbered.put(Integer.parseInt(digits), name);
      }
    }
    if (columns.containsKey("x") && !numbered.isEmpty()) {
      throw new EventFileException("the CSV header names both 'x' and '" + numbered.firstEntry()
          .getValue() + "'; name the features x alone or x1, x2, ...");
    }
    final List<Integer> features = new ArrayList<>();
    if (columns.containsKey("x")) {
      features.add(columns.get("x"));
    }
    for (int n = 1; n <= numbered.size(); n++) {
      if (!numbered.containsKey(n)) {
        throw new EventFileException("the CSV header names " + numbered.lastEntry().getValue()
            + " but not x" + n + "; features are x1, x2, ... with none missing");
      }
      features.add(columns.get("x" + n));
    }
    final boolean labelled = columns.containsKey(labelColumn);
    if (features.isEmpty() && !labelled) {
      throw new EventFileException("the CSV header has neither a label column '" + labelColumn
          + "' nor feature columns 'x' or 'x1', 'x2', ... (its columns: " + String.join(", ", names)
          + ")");
    }

    checkLabel(names, labelled, expected);
    // fewer columns than features: no row can be trained; more can be (trailing cells empty)
    if (expected.features() > 0 && !features.isEmpty()
        && features.size() < expected.features()) {
      throw new EventFileException("the CSV header has " + features.size() + " feature "
          + (features.size() == 1 ? "column" : "columns") + " (" + String.join(", ",
              features.stream().map(names::get).toList()) + ") but --features is "
          + expected.features());
    }
    return new CsvHeader(names.size(), columns.getOrDefault("key", -1),
        columns.getOrDefault(labelColumn, -1),
        features.stream().mapToInt(Integer::intValue).toArray(), columns.getOrDefault("id", -1),
        columns.getOrDefault("eventTime", -1), names, new boolean[0]);
  }

  /** A label column unless --predict-only, and none with it. */
  private static void checkLabel(final List<String> names, final boolean labelled,
      final CsvExpectations expected) throws EventFileException {
    final String labelColumn = expected.labelColumn();
    if (!labelled && !expected.predictOnly()) {
      throw new EventFileException("the CSV header has no label column '" + labelColumn
          + "' (its columns: " + String.join(", ", names) + "): name the label's column with "
          + "--label-column, or give --predict-only if the file holds no labels");
    }
    if (labelled && expected.predictOnly()) {
      throw new EventFileException("the CSV header has a label column '" + labelColumn
          + "', but --predict-only says the file holds no labels: leave out one or the other");
    }
  }

  /**
   * Named features: every column but the key, the label, the id and the event time is one, by its
   * name; every name at most once; the {@code --categorical} ones must be among them.
   */
  private static CsvHeader named(final List<String> names, final CsvExpectations expected)
      throws EventFileException {
    final String labelColumn = expected.labelColumn();
    final Map<String, Integer> columns = new HashMap<>();
    final List<Integer> features = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      final String name = names.get(i);
      final Integer before = columns.put(name, i);
      if (before != null) {
        throw new EventFileException("the CSV header names '" + name + "' twice (columns "
            + (before + 1) + " and " + (i + 1) + ")");
      }
      if (!name.equals("key") && !name.equals(labelColumn) && !name.equals("id")
          && !name.equals("eventTime")) {
        features.add(i);
      }
    }
    for (final String category : new TreeSet<>(expected.categorical())) {
      if (!columns.containsKey(category) || !features.contains(columns.get(category))) {
        throw new EventFileException("--categorical names '" + category + "', which is not a "
            + "feature column of the CSV header (its columns: " + String.join(", ", names) + ")");
      }
    }
    final boolean labelled = columns.containsKey(labelColumn);
    if (features.isEmpty() && !labelled) {
      throw new EventFileException("the CSV header has neither a label column '" + labelColumn
          + "' nor feature columns (its columns: " + String.join(", ", names) + ")");
    }
    checkLabel(names, labelled, expected);
    final boolean[] categorical = new boolean[features.size()];
    for (int f = 0; f < categorical.length; f++) {
      categorical[f] = expected.categorical().contains(names.get(features.get(f)));
    }
    return new CsvHeader(names.size(), columns.getOrDefault("key", -1),
        columns.getOrDefault(labelColumn, -1),
        features.stream().mapToInt(Integer::intValue).toArray(), columns.getOrDefault("id", -1),
        columns.getOrDefault("eventTime", -1), List.copyOf(names), categorical);
  }
}
