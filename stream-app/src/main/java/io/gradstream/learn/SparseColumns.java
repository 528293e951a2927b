package io.gradstream.learn;

import java.util.Arrays;

/**
 * A hashed network's first layer, kept for the input coordinates it has touched only: each such
 * coordinate's column (its weight into each of the first layer's units) and the optimizer's state
 * of each of those weights. An untouched coordinate's column is the starting network's (the
 * SplitMix64 Glorot rule, computed on demand) and its state 0, as in the dense network.
 */
public final class SparseColumns {
  /** Coordinate to slot (its own weights unused). */
  private final SparseWeights index = new SparseWeights(0);
  private final int width;
  private final int stateSlots;
  /** Slot s's column at s·width ..; its state, slot by slot of the optimizer, after. */
  private double[] values;
  private double[] state;

  public SparseColumns(final int width, final int stateSlots) {
    this.width = width;
    this.stateSlots = stateSlots;
    this.values = new double[8 * width];
    this.state = new double[8 * width * stateSlots];
  }

  public SparseColumns copy() {
    return withState(stateSlots, state.clone());
  }

  /** The same columns with a fresh (zero) optimizer state of {@code slots} per weight. */
  public SparseColumns withFreshState(final int slots) {
    return withState(slots, new double[values.length * slots]);
  }

  private SparseColumns withState(final int slots, final double[] newState) {
    final SparseColumns copy = new SparseColumns(width, slots);
    for (int s = 0; s < size(); s++) {
      copy.index.slotOrAdd(index.coordinate(s));
    }
    copy.values = values.clone();
    copy.state = newState;
    return copy;
  }

  /**
   * Columns as they were stored: coordinate {@code coordinates[s]}'s column at {@code
   * values[s·width ..]}, its state at {@code states[s·width·stateSlots ..]}.
   */
  public static SparseColumns of(final int width, final int stateSlots, final int[] coordinates,
      final double[] values, final double[] states) {
    final int n = coordinates.length;
    if (values.length != n * width || states.length != n * width * stateSlots) {
      throw new IllegalArgumentException(n + " columns of " + width + " need " + n * width
          + " weights and " + n * width * stateSlots + " states, got " + values.length + " and "
          + states.length);
    }
    final SparseColumns columns = new SparseColumns(width, stateSlots);
    for (int s = 0; s < n; s++) {
      if (columns.slot(coordinates[s]) >= 0) {
        throw new IllegalArgumentException("coordinate " + coordinates[s] + " is stored twice");
      }
      columns.add(coordinates[s], values, s * width);
    }
    columns.state = Arrays.copyOf(states, columns.values.length * stateSlots);
    return columns;
  }

  /** The coordinates by slot (not a copy; its first {@link #size()} hold): for storing. */
  public int[] coordinatesBySlot() {
    return index.coordinatesBySlot();
  }

  /** The slots in the order of their coordinates, ascending. */
  public int[] slotsByCoordinate() {
    return index.slotsByCoordinate();
  }

  /** The columns by slot (not a copy; its first size·width hold): for storing. */
  public double[] valuesBySlot() {
    return values;
  }

  /** The state by slot (not a copy; its first size·width·stateSlots hold): for storing. */
  public double[] statesBySlot() {
    return state;
  }

  public int size() {
    return index.size();
  }

  public int width() {
    return width;
  }

  public int stateSlots() {
    return stateSlots;
  }

  /** The slot of {@code coordinate}, or −1 when untouched. */
  public int slot(final int coordinate) {
    return index.slot(coordinate);
  }

  public int coordinate(final int slot) {
    return index.coordinate(slot);
  }

  /** A slot for {@code coordinate} holding {@code column} and a zero state. */
  int add(final int coordinate, final double[] column, final int from) {
    final int slot = index.slotOrAdd(coordinate);
    if (values.length < (slot + 1) * width) {
      values = Arrays.copyOf(values, 2 * values.length);
      state = Arrays.copyOf(state, 2 * Math.max(1, state.length));
    }
    System.arraycopy(column, from, values, slot * width, width);
    return slot;
  }

  public double value(final int slot, final int unit) {
    return values[slot * width + unit];
  }

  void set(final int slot, final int unit, final double value) {
    values[slot * width + unit] = value;
  }

  /** The optimizer's slot {@code k} of weight (slot, unit). */
  public double state(final int slot, final int k, final int unit) {
    return state[(slot * stateSlots + k) * width + unit];
  }

  void setState(final int slot, final int k, final int unit, final double value) {
    state[(slot * stateSlots + k) * width + unit] = value;
  }
}
