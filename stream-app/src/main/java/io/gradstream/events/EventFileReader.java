package io.gradstream.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads an event file in either format, told apart by its first character: JSON Lines when it is
 * '{', otherwise CSV with a header ({@code key}, {@code id} and {@code eventTime} optional, label
 * {@code d}, features {@code x} or {@code x1..xn}; other columns ignored). An empty {@code d} cell
 * is an event without a label (a prediction), empty feature cells an event without x (a label).
 * What can be wrong with the file as a whole (its format, its header) is found when it is opened,
 * before any row is handed on; a row that is not an event is reported with its line number and the
 * reading goes on.
 *
 * <p>The model id: a file without a key (no {@code key} column, no {@code "key"} field) trains the
 * model {@value #DEFAULT_KEY}; a key that is there but empty (an empty cell, {@code ""} or {@code
 * null}) is a bad row {@code missing-key}, as an empty or null Kafka key is.
 */
public final class EventFileReader {
  public static final String DEFAULT_KEY = "default";

  private static final int SNIFF_LIMIT = 1 << 16;

  private final BufferedReader in;
  private final EventFields fields = new EventFields();
  /** Null for JSON Lines and for an empty file. */
  private final CsvRecordReader csv;
  private final CsvHeader header;
  /** The CSV's columns are named features (see {@link CsvExpectations#named()}). */
  private final boolean expectedNamed;
  /** A label that is not a number is a class name (see {@link CsvExpectations#labelNames()}). */
  private final boolean labelNames;
  private final long headerLine;
  private final String labelColumn;
  private final boolean json;
  private long jsonBytes;

  /** @param expected what a CSV header must hold (JSON Lines carry their label as "d") */
  public EventFileReader(final Reader source, final CsvExpectations expected) throws IOException {
    in = new BufferedReader(source, SNIFF_LIMIT);
    skipByteOrderMark(in);
    in.mark(SNIFF_LIMIT);
    final int first = firstNonBlank(in);
    in.reset();
    json = first == '{';
    if (first == '[') {
      throw new EventFileException(
          "expected JSON Lines (one object per line) or CSV with a header, found a JSON array");
    }
    final CsvRecordReader.Record names;
    if (first < 0 || json) {
      csv = null;
      names = null;
    } else {
      csv = new CsvRecordReader(in);
      names = csv.next();
      if (names.problem != null) {
        throw new EventFileException("the CSV header on line " + names.line + ": " + names.problem);
      }
    }
    header = names == null ? null : CsvHeader.of(names.cells, expected);
    expectedNamed = expected.named();
    labelNames = expected.labelNames();
    labelColumn = expected.labelColumn();
    headerLine = names == null ? 0 : names.line;
  }

  /**
   * About how many bytes of the file the rows handed on so far took (a line end counted as one
   * byte): the position a progress bar shows, unlike the bytes read ahead into buffers.
   */
  public long consumedBytes() {
    return json ? jsonBytes : csv == null ? 0 : csv.bytesRead;
  }

  /** The length of {@code s} in UTF-8, without encoding it. */
  static long utf8Length(final String s) {
    long n = s.length();
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      if (c >= 0x80) {
        // two bytes below U+0800, three above; a surrogate pair (two chars) makes four
        n += c < 0x800 ? 1 : Character.isSurrogate(c) ? 1 : 2;
      }
    }
    return n;
  }

  /** Hands every row to {@code handler}, in order. */
  public void read(final EventRowHandler handler) throws IOException {
    if (json) {
      readJsonLines(handler);
    } else if (csv != null) {
      readCsv(handler);
    }
  }

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

  private void readJsonLines(final EventRowHandler handler) throws IOException {
    final JsonEventDecoder decoder = new JsonEventDecoder();
    long line = 0;
    String text;
    while ((text = in.readLine()) != null) {
      line++;
      jsonBytes += utf8Length(text) + 1;
      if (text.isBlank()) {
        continue;
      }
      try {
        decoder.decode(text, fields);
      } catch (final UndecodableEventException e) {
        handler.onBadRow(line, Outcome.UNDECODABLE.code(), e.getMessage());
        continue;
      }
      emit(line, handler);
    }
  }

  private void readCsv(final EventRowHandler handler) throws IOException {
    CsvRecordReader.Record row;
    while ((row = csv.next()) != null) {
      final String problem = row.problem != null ? row.problem : fill(row);
      if (problem != null) {
        handler.onBadRow(row.line, Outcome.UNDECODABLE.code(), problem);
      } else {
        emit(row.line, handler);
      }
    }
  }

  private void emit(final long line, final EventRowHandler handler) {
    if (fields.key != null && fields.key.isEmpty()) {
      handler.onBadRow(line, Outcome.MISSING_KEY.code(), "the key is empty");
    } else if (EventKind.of(fields) == EventKind.INCOMPLETE) {
      handler.onBadRow(line, Outcome.INCOMPLETE_EVENT.code(), EventKind.incomplete(fields));
    } else {
      handler.onEvent(line, fields.key == null ? DEFAULT_KEY : fields.key, fields);
    }
  }

  /** Fills {@link #fields} from a CSV row; returns what is wrong with the row, or null. */
  private String fill(final CsvRecordReader.Record row) {
    if (row.cells.size() != header.cells()) {
      return row.cells.size() + " cells, the header (line " + headerLine + ") has "
          + header.cells();
    }
    fields.clear();
    fields.key = header.key() >= 0 ? row.cells.get(header.key()) : null;
    if (header.id() >= 0 && !row.cells.get(header.id()).isEmpty()) {
      fields.id = row.cells.get(header.id());
    }
    if (header.eventTime() >= 0 && !row.cells.get(header.eventTime()).isEmpty()) {
      final String time = row.cells.get(header.eventTime());
      try {
        fields.eventTime = Long.parseLong(time);
      } catch (final NumberFormatException e) {
        return "eventTime is not milliseconds since the epoch: '" + time + "'";
      }
    }
    final String d = header.label() >= 0 ? row.cells.get(header.label()) : "";
    if (!d.isEmpty()) {
      try {
        fields.d = parseNumber(d);
        fields.hasLabel = true;
      } catch (final NumberFormatException e) {
        if (!labelNames) {
          return "label " + labelColumn + " is not a number: '" + d + "'";
        }
        fields.label = d;
        fields.hasLabel = true;
      }
    }
    final int[] columns = header.features();
    if (expectedNamed) {
      fillNamed(row, columns);
      return null;
    }
    // trailing empty feature cells mean the row has fewer features than the header names
    int n = columns.length;
    while (n > 0 && row.cells.get(columns[n - 1]).isEmpty()) {
      n--;
    }
    if (n == 0) {
      // no features at all: a label for an earlier prediction (or an incomplete row)
      return null;
    }
    final double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      final String v = row.cells.get(columns[i]);
      try {
        x[i] = parseNumber(v);
      } catch (final NumberFormatException e) {
        return "feature " + (i + 1) + " is not a number: '" + v + "'";
      }
    }
    fields.x = x;
    return null;
  }

  /**
   * Named features: an empty cell is an absent feature, a number is a number (unless its column is
   * categorical), any other text a category; a row with no feature at all is a label.
   */
  private void fillNamed(final CsvRecordReader.Record row, final int[] columns) {
    for (int f = 0; f < columns.length; f++) {
      final String v = row.cells.get(columns[f]);
      if (v.isEmpty()) {
        continue;
      }
      final String name = header.names().get(columns[f]);
      fields.hasFeatures = true;
      if (header.categorical()[f]) {
        fields.features.category(name, v);
        continue;
      }
      try {
        fields.features.number(name, parseNumber(v));
      } catch (final NumberFormatException e) {
        fields.features.category(name, v);
      }
    }
  }

  /**
   * A decimal number as any CSV tool writes it, NaN and Infinity included (they are refused later
   * as non-finite, with that reason). Java's own extras (hex, a 'd' or 'f' suffix) are not numbers
   * to other tools, so they are refused here.
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
}
