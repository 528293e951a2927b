package io.gradstream.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a CSV text, each with the line it starts on: fields separated by commas,
 * optionally in double quotes, where {@code ""} is one quote and a line break is kept; spaces
 * around a field are dropped; blank lines are skipped (RFC 4180, as spreadsheets write it).
 *
 * <p>Written here rather than taken from a CSV library because of one case: a quote that is never
 * closed. A general parser reads it to the end of the file and gives up on everything after it.
 * Here a record whose quoting goes wrong (a quote not closed by the end of the file or within
 * {@link #MAX_RECORD_CHARS}, which also bounds what is held in memory; text after a closing quote)
 * is one bad record, its first line, and reading goes on with the line after it, where the next
 * row most likely starts. A well-quoted field may span lines.
 */
final class CsvRecordReader {
  static final int MAX_RECORD_CHARS = 1 << 20;

  /** One record: its cells, or what is wrong with it. */
  static final class Record {
    long line;
    final List<String> cells = new ArrayList<>();
    /** Null for a good record. */
    String problem;
  }

  private record Line(long number, String text) {}

  private final BufferedReader in;
  /** Lines already read that belong to later records (after an unclosed quote). */
  private final ArrayDeque<Line> again = new ArrayDeque<>();
  private final List<Line> consumed = new ArrayList<>();
  private final StringBuilder cell = new StringBuilder();
  private final Record record = new Record();
  private long lastLine;
  /** The bytes of the lines read so far, with their line ends: how far into the file it is. */
  long bytesRead;

  CsvRecordReader(final BufferedReader in) {
    this.in = in;
  }

  /** The next record (the same instance each time, refilled), or null at the end of the text. */
  Record next() throws IOException {
    Line first;
    do {
      first = nextLine();
      if (first == null) {
        return null;
      }
    } while (first.text.isBlank());
    record.line = first.number;
    record.cells.clear();
    record.problem = null;
    consumed.clear();
    consumed.add(first);
    parse(first);
    return record;
  }

  private Line nextLine() throws IOException {
    if (!again.isEmpty()) {
      return again.removeFirst();
    }
    final String text = in.readLine();
    if (text == null) {
      return null;
    }
    bytesRead += EventFileReader.utf8Length(text) + 1;
    return new Line(++lastLine, text);
  }

  private void parse(final Line first) throws IOException {
    String text = first.text;
    long number = first.number;
    int i = 0;
    int chars = text.length();
    while (true) {
      // at the start of a field
      while (i < text.length() && isSpace(text.charAt(i))) {
        i++;
      }
      cell.setLength(0);
      if (i < text.length() && text.charAt(i) == '"') {
        final long openedLine = number;
        final int openedColumn = i + 1;
        i++;
        while (true) {
          if (i == text.length()) {
            final Line more = nextLine();
            if (more == null || chars + more.text.length() > MAX_RECORD_CHARS) {
              if (more != null) {
                again.addFirst(more);
              }
              bad("the quote opened in column " + openedColumn + " of line " + openedLine
                  + " is never closed");
              return;
            }
            consumed.add(more);
            chars += more.text.length();
            text = more.text;
            number = more.number;
            i = 0;
            cell.append('\n');
            continue;
          }
          final char c = text.charAt(i++);
          if (c != '"') {
            cell.append(c);
          } else if (i < text.length() && text.charAt(i) == '"') {
            cell.append('"');
            i++;
          } else {
            break;
          }
        }
        while (i < text.length() && isSpace(text.charAt(i))) {
          i++;
        }
        if (i < text.length() && text.charAt(i) != ',') {
          bad(number == openedLine
              ? "text after the closing quote of cell " + (record.cells.size() + 1)
              : "the quote opened in column " + openedColumn + " of line " + openedLine
                  + " closes on line " + number + " with text after it");
          return;
        }
        record.cells.add(cell.toString());
      } else {
        final int start = i;
        while (i < text.length() && text.charAt(i) != ',') {
          i++;
        }
        record.cells.add(text.substring(start, i).strip());
      }
      if (i == text.length()) {
        return;
      }
      i++; // the comma
    }
  }

  /**
   * The record is bad, and it is its first line only: a quote gone wrong is most likely a stray
   * one on that line, so the lines read past it are read again as records of their own.
   */
  private void bad(final String problem) {
    for (int k = consumed.size() - 1; k >= 1; k--) {
      again.addFirst(consumed.get(k));
    }
    record.cells.clear();
    record.problem = problem;
  }

  private static boolean isSpace(final char c) {
    return c == ' ' || c == '\t';
  }
}
