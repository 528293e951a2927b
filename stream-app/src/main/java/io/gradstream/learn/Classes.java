package io.gradstream.learn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The K classes of a multi-class model: labels 0..K−1, each with a name when the classes were
 * named ({@code --class-names a,b,c}). A label is given by its index, or by its name when the
 * classes have names.
 *
 * @param names the class names in index order; empty when the classes are numbered only
 */
public record Classes(int count, List<String> names) {
  /**
   * The most classes a model may have: its output layer has K rows, every prediction and metric
   * carries K probabilities, and a step costs about K single-unit steps.
   */
  public static final int MAX = 1000;

  public Classes {
    if (count < 2 || count > MAX) {
      throw new IllegalArgumentException("a multi-class model has 2 to " + MAX
          + " classes, got " + count);
    }
    names = List.copyOf(names);
    if (!names.isEmpty() && names.size() != count) {
      throw new IllegalArgumentException(count + " classes need " + count + " names, got "
          + names.size());
    }
    final Map<String, Integer> seen = new HashMap<>();
    for (final String name : names) {
      if (name.isBlank() || !name.strip().equals(name)) {
        throw new IllegalArgumentException("a class name is not empty and does not begin or "
            + "end with a space, got '" + name + "'");
      }
      if (seen.put(name, seen.size()) != null) {
        throw new IllegalArgumentException("class name '" + name + "' is given twice");
      }
      if (isIndex(name)) {
        throw new IllegalArgumentException("class name '" + name + "' is a number: a label "
            + "that is a number is a class index");
      }
    }
  }

  /** Classes 0..K−1 without names. */
  public static Classes numbered(final int count) {
    return new Classes(count, List.of());
  }

  /** Classes named in index order. */
  public static Classes named(final List<String> names) {
    return new Classes(names.size(), names);
  }

  public boolean hasNames() {
    return !names.isEmpty();
  }

  /**
   * The label a text stands for: the index of the class it names, else the number it is (an
   * index written as text, which {@link #accepts} then checks), else -1.
   */
  public double label(final String text) {
    final int named = names.indexOf(text);
    if (named >= 0) {
      return named;
    }
    return isIndex(text) ? Double.parseDouble(text) : -1.0;
  }

  /** Whether {@code d} is a class: an integer in 0..K−1. */
  public boolean accepts(final double d) {
    return d >= 0.0 && d < count && d == Math.rint(d);
  }

  /** The name of class {@code index}, or its index as text when the classes have no names. */
  public String name(final int index) {
    return names.isEmpty() ? Integer.toString(index) : names.get(index);
  }

  /** Whether a label written as {@code text} is an index rather than a name. */
  private static boolean isIndex(final String text) {
    try {
      Double.parseDouble(text);
      return true;
    } catch (final NumberFormatException e) {
      return false;
    }
  }
}
