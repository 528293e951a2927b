package io.gradstream.events;

import java.util.Arrays;

/**
 * An event's named features as it carries them ({@code "features": {"amount": 12.5, "country":
 * "DE", "returning": true}}): each a number, a boolean or a category (a string); null and absent
 * ones are not here. Refilled for every event, so the arrays grow once.
 */
public final class NamedFeatures {
  /** What a feature's value is. */
  public enum Kind {
    NUMBER,
    /** true or false, taken as 1 or 0 and never scaled. */
    BOOLEAN,
    CATEGORY
  }

  private String[] names = new String[8];
  private Kind[] kinds = new Kind[8];
  private double[] numbers = new double[8];
  private String[] categories = new String[8];
  private int size;

  /** A copy of its own, to keep. */
  public NamedFeatures copy() {
    final NamedFeatures copy = new NamedFeatures();
    copy.names = Arrays.copyOf(names, Math.max(1, size));
    copy.kinds = Arrays.copyOf(kinds, Math.max(1, size));
    copy.numbers = Arrays.copyOf(numbers, Math.max(1, size));
    copy.categories = Arrays.copyOf(categories, Math.max(1, size));
    copy.size = size;
    return copy;
  }

  public void clear() {
    Arrays.fill(categories, 0, size, null);
    size = 0;
  }

  public void number(final String name, final double value) {
    add(name, Kind.NUMBER, value, null);
  }

  public void bool(final String name, final boolean value) {
    add(name, Kind.BOOLEAN, value ? 1.0 : 0.0, null);
  }

  public void category(final String name, final String value) {
    add(name, Kind.CATEGORY, 1.0, value);
  }

  private void add(final String name, final Kind kind, final double number,
      final String category) {
    if (size == names.length) {
      names = Arrays.copyOf(names, 2 * size);
      kinds = Arrays.copyOf(kinds, 2 * size);
      numbers = Arrays.copyOf(numbers, 2 * size);
      categories = Arrays.copyOf(categories, 2 * size);
    }
    names[size] = name;
    kinds[size] = kind;
    numbers[size] = number;
    categories[size] = category;
    size++;
  }

  public int size() {
    return size;
  }

  public String name(final int i) {
    return names[i];
  }

  public Kind kind(final int i) {
    return kinds[i];
  }

  /** The term's value: the number, 1 or 0 for a boolean, 1 for a category. */
  public double value(final int i) {
    return numbers[i];
  }

  /** The category, null for a number or a boolean. */
  public String category(final int i) {
    return categories[i];
  }

  /** The index of the feature named {@code name}, or −1. */
  public int indexOf(final String name) {
    for (int i = 0; i < size; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
