package io.gradstream.learn.features;

import java.util.Arrays;

/**
 * A hashed event's input: the coordinates its terms landed on and their values, the few non-zero
 * ones of 2^B. Terms are added in any order; {@link #canonical()} then sorts them by coordinate and
 * adds up those on one coordinate in the order of their values, so that the same terms give the
 * same bits whatever order the event listed them in (a JSON object, an Avro map, a CSV row), and
 * drops what sums to zero, which changes no model. One per thread: the arrays grow once.
 */
public final class HashedVector {
  private int[] coordinates;
  private double[] values;
  private int size;

  public HashedVector() {
    this(16);
  }

  public HashedVector(final int capacity) {
    coordinates = new int[Math.max(1, capacity)];
    values = new double[coordinates.length];
  }

  public void clear() {
    size = 0;
  }

  /** Adds a term's signed value at its coordinate. */
  public void add(final int coordinate, final double value) {
    if (size == coordinates.length) {
      coordinates = Arrays.copyOf(coordinates, 2 * size);
      values = Arrays.copyOf(values, 2 * size);
    }
    coordinates[size] = coordinate;
    values[size] = value;
    size++;
  }

  /** Sorts by coordinate, sums each coordinate's values from the smallest, drops zeros. */
  public HashedVector canonical() {
    // insertion sort: an event has few terms, and this allocates nothing
    for (int i = 1; i < size; i++) {
      final int c = coordinates[i];
      final double v = values[i];
      int j = i - 1;
      while (j >= 0 && (coordinates[j] > c || coordinates[j] == c && values[j] > v)) {
        coordinates[j + 1] = coordinates[j];
        values[j + 1] = values[j];
        j--;
      }
      coordinates[j + 1] = c;
      values[j + 1] = v;
    }
    int kept = 0;
    for (int i = 0; i < size; ) {
      final int c = coordinates[i];
      double sum = values[i++];
      while (i < size && coordinates[i] == c) {
        sum += values[i++];
      }
      if (sum != 0.0) {
        coordinates[kept] = c;
        values[kept] = sum;
        kept++;
      }
    }
    size = kept;
    return this;
  }

  /** Whether every value is finite (no NaN, no infinity). */
  public boolean allFinite() {
    for (int k = 0; k < size(); k++) {
      if (!Double.isFinite(value(k))) {
        return false;
      }
    }
    return true;
  }

  public int size() {
    return size;
  }

  public int coordinate(final int k) {
    return coordinates[k];
  }

  public double value(final int k) {
    return values[k];
  }
}
