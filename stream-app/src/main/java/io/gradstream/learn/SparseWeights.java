package io.gradstream.learn;

import java.util.Arrays;

/**
 * A hashed model's weights over 2^B coordinates, of which it keeps only those it has touched: each
 * has a slot with its weight and its optimizer state (some doubles per coordinate). An untouched
 * coordinate's weight and state are 0, which is what the dense model would hold there for the
 * optimizers a hashed model takes, so storage grows with what the model has seen, not with 2^B.
 * Slots are in the order the coordinates were first touched; an open-addressing table (linear
 * probing, at most half full) finds a coordinate's slot.
 */
public final class SparseWeights {
  private static final int EMPTY = -1;

  private final int stateSlots;
  /** The table: a coordinate, or EMPTY; its slot at the same place in {@link #slotAt}. */
  private int[] keys;
  private int[] slotAt;
  private int[] coordinates;
  private double[] weights;
  /** Slot s's optimizer state at s·stateSlots .. s·stateSlots + stateSlots − 1. */
  private double[] state;
  private int size;

  /** @param stateSlots the optimizer's doubles per coordinate (0 for plain SGD) */
  public SparseWeights(final int stateSlots) {
    this(stateSlots, 8);
  }

  private SparseWeights(final int stateSlots, final int capacity) {
    this.stateSlots = stateSlots;
    this.keys = new int[2 * capacity];
    Arrays.fill(keys, EMPTY);
    this.slotAt = new int[2 * capacity];
    this.coordinates = new int[capacity];
    this.weights = new double[capacity];
    this.state = new double[capacity * stateSlots];
  }

  private SparseWeights(final SparseWeights from, final int stateSlots, final double[] state) {
    this.stateSlots = stateSlots;
    this.keys = from.keys.clone();
    this.slotAt = from.slotAt.clone();
    this.coordinates = from.coordinates.clone();
    this.weights = from.weights.clone();
    this.state = state;
    this.size = from.size;
  }

  /** A copy of its own: stepping one leaves the other as it was. */
  public SparseWeights copy() {
    return new SparseWeights(this, stateSlots, state.clone());
  }

  /** The same weights with a fresh (zero) optimizer state of {@code slots} per coordinate. */
  public SparseWeights withFreshState(final int slots) {
    return new SparseWeights(this, slots, new double[coordinates.length * slots]);
  }

  /** How many coordinates the model has touched. */
  public int size() {
    return size;
  }

  public int stateSlots() {
    return stateSlots;
  }

  /** The slot of {@code coordinate}, or −1 when the model has not touched it. */
  public int slot(final int coordinate) {
    for (int i = home(coordinate); ; i = (i + 1) & (keys.length - 1)) {
      if (keys[i] == coordinate) {
        return slotAt[i];
      }
      if (keys[i] == EMPTY) {
        return -1;
      }
    }
  }

  /** The slot of {@code coordinate}, given one (weight and state 0) if it had none. */
  public int slotOrAdd(final int coordinate) {
    final int found = slot(coordinate);
    if (found >= 0) {
      return found;
    }
    if (size == coordinates.length) {
      grow();
    }
    coordinates[size] = coordinate;
    place(coordinate, size);
    return size++;
  }

  /**
   * Weights as they were stored: coordinate {@code coordinates[s]} has weight {@code weights[s]}
   * and its optimizer state at {@code states[s·stateSlots ..]}.
   */
  public static SparseWeights of(final int stateSlots, final int[] coordinates,
      final double[] weights, final double[] states) {
    if (weights.length != coordinates.length || states.length != coordinates.length * stateSlots) {
      throw new IllegalArgumentException(coordinates.length + " coordinates need as many weights "
          + "and " + stateSlots + " states each, got " + weights.length + " and "
          + states.length);
    }
    final SparseWeights w = new SparseWeights(stateSlots,
        Math.max(8, Integer.highestOneBit(Math.max(1, coordinates.length)) * 2));
    for (int s = 0; s < coordinates.length; s++) {
      if (w.slot(coordinates[s]) >= 0) {
        throw new IllegalArgumentException("coordinate " + coordinates[s] + " is stored twice");
      }
      final int slot = w.slotOrAdd(coordinates[s]);
      w.weights[slot] = weights[s];
      System.arraycopy(states, s * stateSlots, w.state, slot * stateSlots, stateSlots);
    }
    return w;
  }

  /** The coordinates by slot (not a copy; its first {@link #size()} hold): for storing. */
  public int[] coordinatesBySlot() {
    return coordinates;
  }

  /** The weights by slot (not a copy; its first {@link #size()} hold): for storing. */
  public double[] weightsBySlot() {
    return weights;
  }

  /** The optimizer states by slot (not a copy; its first size·stateSlots hold): for storing. */
  public double[] statesBySlot() {
    return state;
  }

  /** The slots in the order of their coordinates, as a model is written out. */
  public int[] slotsByCoordinate() {
    final Integer[] order = new Integer[size];
    for (int s = 0; s < size; s++) {
      order[s] = s;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(coordinates[a], coordinates[b]));
    final int[] slots = new int[size];
    for (int s = 0; s < size; s++) {
      slots[s] = order[s];
    }
    return slots;
  }

  /** Sets the weight at {@code coordinate}, giving it a slot if it had none. */
  public void put(final int coordinate, final double w) {
    final int slot = slotOrAdd(coordinate); // first: it may grow the arrays
    weights[slot] = w;
  }

  public int coordinate(final int slot) {
    return coordinates[slot];
  }

  public double weight(final int slot) {
    return weights[slot];
  }

  /** The weight at {@code coordinate}: 0 when untouched. */
  public double weightAt(final int coordinate) {
    final int slot = slot(coordinate);
    return slot < 0 ? 0.0 : weights[slot];
  }

  void setWeight(final int slot, final double w) {
    weights[slot] = w;
  }

  /** Slot {@code k} (0, 1, ...) of the optimizer state of {@code slot}. */
  public double state(final int slot, final int k) {
    return state[slot * stateSlots + k];
  }

  void setState(final int slot, final int k, final double value) {
    state[slot * stateSlots + k] = value;
  }

  private int home(final int coordinate) {
    // Fibonacci hashing: neighbouring coordinates spread over the table
    return (coordinate * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(keys.length));
  }

  private void place(final int coordinate, final int slot) {
    int i = home(coordinate);
    while (keys[i] != EMPTY) {
      i = (i + 1) & (keys.length - 1);
    }
    keys[i] = coordinate;
    slotAt[i] = slot;
  }

  private void grow() {
    final int capacity = 2 * coordinates.length;
    coordinates = Arrays.copyOf(coordinates, capacity);
    weights = Arrays.copyOf(weights, capacity);
    state = Arrays.copyOf(state, capacity * stateSlots);
    keys = new int[2 * capacity];
    Arrays.fill(keys, EMPTY);
    slotAt = new int[2 * capacity];
    for (int s = 0; s < size; s++) {
      place(coordinates[s], s);
    }
  }
}
