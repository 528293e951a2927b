package io.gradstream.ui;

/**
 * The last {@code capacity} samples of a few numbers (a time column, then values), oldest dropped
 * first: the page's memory is bounded however long the service runs. One writer (the sampler),
 * any readers; {@code synchronized}, as both sides touch it once a second or so.
 */
final class History {
  private final double[][] rows;
  private long written;

  History(final int capacity) {
    rows = new double[capacity][];
  }

  synchronized void add(final double... row) {
    rows[(int) (written % rows.length)] = row;
    written++;
  }

  /** The latest sample, or null before the first. */
  synchronized double[] latest() {
    return written == 0 ? null : rows[(int) ((written - 1) % rows.length)];
  }

  /**
   * The samples whose time (column 0) is after {@code since}, oldest first, as columns: {@code
   * columns(since)[c][i]} is column c of sample i; no columns when there is none.
   */
  synchronized double[][] columns(final double since) {
    final int kept = (int) Math.min(written, rows.length);
    int count = 0;
    while (count < kept && rows[(int) ((written - 1 - count) % rows.length)][0] > since) {
      count++;
    }
    if (count == 0) {
      return new double[0][];
    }
    final int width = rows[(int) ((written - 1) % rows.length)].length;
    final double[][] columns = new double[width][count];
    for (int i = 0; i < count; i++) {
      final double[] row = rows[(int) ((written - count + i) % rows.length)];
      for (int c = 0; c < width; c++) {
        columns[c][i] = c < row.length ? row[c] : Double.NaN;
      }
    }
    return columns;
  }
}
