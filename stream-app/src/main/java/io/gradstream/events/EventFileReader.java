package io.gradstream.events;

import io.gradstream.learn.Outcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads an event file in either of PRODUCT.md's formats, told apart by the first character: JSON
 * Lines when it is '{', otherwise CSV with a header ({@code key} optional, label {@code d}, features
 * {@code x} or {@code x1..xn}; other columns ignored). A row that is not an event is reported with
 * its line number and the reading goes on.
 */
public final class EventFileReader {
  public static final String DEFAULT_KEY = "default";

  private final EventFields fields = new EventFields();
  private final JsonEventDecoder json = new JsonEventDecoder();

  public void read(final Reader source, final EventRowHandler handler) throws IOException {
    final BufferedReader in = new BufferedReader(source, SNIFF_LIMIT);
    skipByteOrderMark(in);
    in.mark(SNIFF_LIMIT);
    final int first = firstNonBlank(in);
    in.reset();
    if (first < 0) {
      return;
    }
    if (first == '{') {
      readJsonLines(in, handler);
    } else {
      readCsv(in, handler);
    }
  }

  private static final int SNIFF_LIMIT = 1 << 16;

  private static void skipByteOrderMark(final BufferedReader in) throws IOException {
    in.mark(1);
    if (in.read() != '\uFEFF') {
      in.reset();
    }
  }

  private static int firstNonBlank(final Reader in) throws IOException {
    int c;
    int read = 0;
    do {
      c = in.read();
    } while (c >= 0 && Character.isWhitespace(c) && ++read < SNIFF_LIMIT - 1);
    return c;
  }

  private void readJsonLines(final BufferedReader in, final EventRowHandler handler)
      throws IOException {
    long line = 0;
    String text;
    while ((text = in.readLine()) != null) {
      line++;
      if (text.isBlank()) {
        continue;
      }
      try {
        json.decode(text, fields);
      } catch (final UndecodableEventException e) {
        handler.onBadRow(line, Outcome.UNDECODABLE.code(), e.getMessage());
        continue;
      }
      if (!emitIfLabelled(line, fields, handler)) {
        continue;
      }
      handler.onEvent(line, keyOrDefault(fields.key), fields);
    }
  }

  private void readCsv(final Reader in, final EventRowHandler handler) throws IOException {
    final CSVFormat format = CSVFormat.DEFAULT.builder()
        .setHeader()
        .setSkipHeaderRecord(true)
        .setIgnoreSurroundingSpaces(true)
        .setAllowMissingColumnNames(true)
        .get();
    try (CSVParser parser = CSVParser.parse(in, format)) {
      final CsvColumns columns = CsvColumns.of(parser.getHeaderMap());
      for (final CSVRecord row : parser) {
        final long line = firstLine(parser.getCurrentLineNumber(), row);
        final String problem = columns.fill(row, fields);
        if (problem != null) {
          handler.onBadRow(line, Outcome.UNDECODABLE.code(), problem);
          continue;
        }
        if (emitIfLabelled(line, fields, handler)) {
          handler.onEvent(line, keyOrDefault(fields.key), fields);
        }
      }
    } catch (final IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new IOException("cannot read the CSV: " + e.getMessage(), e);
    }
  }

  /** The parser knows where a record ends; a quoted cell may span lines, so count back. */
  private static long firstLine(final long lastLine, final CSVRecord row) {
    long breaks = 0;
    for (final String cell : row) {
      for (int i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) {
        breaks++;
      }
    }
    return lastLine - breaks;
  }

  private static boolean emitIfLabelled(final long line, final EventFields event,
      final EventRowHandler handler) {
    if (!event.hasLabel) {
      handler.onBadRow(line, Outcome.MISSING_LABEL.code(), "no label d");
      return false;
    }
    return true;
  }

  private static String keyOrDefault(final String key) {
    return key == null || key.isEmpty() ? DEFAULT_KEY : key;
  }

  /** Where the key, label and features sit in a CSV header. */
  private record CsvColumns(int key, int label, int[] features) {
    static CsvColumns of(final Map<String, Integer> header) throws IOException {
      if (header == null || !header.containsKey("d")) {
        throw new IOException("the CSV header must name a label column 'd' (found "
            + (header == null ? "no header" : header.keySet()) + ")");
      }
      final List<Integer> xs = new ArrayList<>();
      for (int i = 1; header.containsKey("x" + i); i++) {
        xs.add(header.get("x" + i));
      }
      if (xs.isEmpty() && header.containsKey("x")) {
        xs.add(header.get("x"));
      }
      if (xs.isEmpty()) {
        throw new IOException("the CSV header must name feature columns 'x' or 'x1', 'x2', ... "
            + "(found " + header.keySet() + ")");
      }
      return new CsvColumns(header.getOrDefault("key", -1), header.get("d"),
          xs.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Fills {@code into} from the row; returns what is wrong with the row, or null. */
    String fill(final CSVRecord row, final EventFields into) {
      into.clear();
      into.key = key >= 0 ? cell(row, key) : null;
      final String d = cell(row, label);
      if (!d.isEmpty()) {
        try {
          into.d = parseNumber(d);
          into.hasLabel = true;
        } catch (final NumberFormatException e) {
          return "label d is not a number: '" + d + "'";
        }
      }
      // trailing empty feature cells mean the row has fewer features than the header names
      int n = features.length;
      while (n > 0 && cell(row, features[n - 1]).isEmpty()) {
        n--;
      }
      final double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        final String v = cell(row, features[i]);
        try {
          x[i] = parseNumber(v);
        } catch (final NumberFormatException e) {
          return "feature " + (i + 1) + " is not a number: '" + v + "'";
        }
      }
      into.x = x;
      return null;
    }

    /**
     * A decimal number as any CSV tool writes it, NaN and Infinity included (they are refused
     * later as non-finite, with that reason). Java's own extras (hex, a 'd' or 'f' suffix) are not
     * numbers to other tools, so they are refused here.
     */
    private static double parseNumber(final String v) {
      if (v.isEmpty()) {
        throw new NumberFormatException("empty");
      }
      final char last = v.charAt(v.length() - 1);
      if (last == 'd' || last == 'D' || last == 'f' || last == 'F'
          || v.indexOf('x') >= 0 || v.indexOf('X') >= 0) {
        throw new NumberFormatException(v);
      }
      return Double.parseDouble(v);
    }

    private static String cell(final CSVRecord row, final int column) {
      return column < row.size() ? row.get(column) : "";
    }
  }
}
