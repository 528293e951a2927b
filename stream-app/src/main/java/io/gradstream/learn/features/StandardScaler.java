package io.gradstream.learn.features;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One model's scaler ({@code --scale standard}): the {@link Welford} moments of each numeric
 * feature, by name for named features (added as the model first trains on one) or by coordinate
 * for x. A step first computes with what the moments would become ({@code train}) and updates them
 * ({@code commit}) only once it is taken, so that a refused event leaves the scaler as it was; a
 * prediction ({@code serve}) reads them. A feature the model never trained on serves as 0. A
 * value that is NaN or infinite stays what it is, for the learner to refuse: standardized, it
 * would turn into 0 and be learnt from.
 */
public final class StandardScaler {
  /** The features' names in the order they came, null for x (by coordinate). */
  private String[] names;
  private final Map<String, Integer> index;
  private double[] moments;
  private int size;

  private StandardScaler(final String[] names, final double[] moments, final int size) {
    this.names = names;
    this.moments = moments;
    this.size = size;
    if (names == null) {
      this.index = null;
    } else {
      this.index = new HashMap<>();
      for (int i = 0; i < size; i++) {
        if (index.put(names[i], i) != null) {
          throw new IllegalArgumentException("the scaler names feature \"" + names[i]
              + "\" twice");
        }
      }
    }
  }

  /** A scaler of x's {@code features} coordinates, none seen yet. */
  public static StandardScaler dense(final int features) {
    return new StandardScaler(null, new double[Welford.SLOTS * features], features);
  }

  /** A scaler of named features, none seen yet. */
  public static StandardScaler named() {
    return new StandardScaler(new String[4], new double[Welford.SLOTS * 4], 0);
  }

  /**
   * A stored scaler: of named features when {@code names} is not null, each with its three
   * moments (count, mean, M2) in {@code moments}.
   */
  public static StandardScaler of(final List<String> names, final double[] moments) {
    final int size = names != null ? names.size() : moments.length / Welford.SLOTS;
    if (moments.length != Welford.SLOTS * size) {
      throw new IllegalArgumentException("a scaler of " + size + " features has "
          + Welford.SLOTS * size + " moments, got " + moments.length);
    }
    for (int i = 0; i < size; i++) {
      final int at = Welford.SLOTS * i;
      final double count = moments[at];
      if (!(count >= 0) || count != Math.rint(count) || !Double.isFinite(moments[at + 1])
          || !(moments[at + 2] >= 0) || !Double.isFinite(moments[at + 2])) {
        throw new IllegalArgumentException("a scaler's moments (count, mean, M2) must be a "
            + "whole count ≥ 0, a finite mean and a finite M2 ≥ 0, got " + count + ", "
            + moments[at + 1] + ", " + moments[at + 2]);
      }
    }
    return new StandardScaler(names == null ? null : names.toArray(new String[0]),
        moments.clone(), size);
  }

  /** Whether it scales named features (else x, by coordinate). */
  public boolean byName() {
    return names != null;
  }

  /** How many features it has moments of. */
  public int size() {
    return size;
  }

  /** The i-th feature's name; null for x. */
  public String name(final int i) {
    return names == null ? null : names[i];
  }

  /**
   * The moments themselves (not a copy): count, mean and M2 of each feature in its order, in the
   * first {@code Welford.SLOTS * size()} doubles; callers read.
   */
  public double[] moments() {
    return moments;
  }

  public StandardScaler copy() {
    return new StandardScaler(names == null ? null : names.clone(), moments.clone(), size);
  }

  /** x standardized into {@code out} as a training event with x would: nothing is updated. */
  public void train(final double[] x, final double[] out) {
    for (int i = 0; i < x.length; i++) {
      out[i] = Double.isFinite(x[i]) ? Welford.preview(moments, Welford.SLOTS * i, x[i]) : x[i];
    }
  }

  /** Adds x, the input of a step taken, to the moments. */
  public void commit(final double[] x) {
    for (int i = 0; i < x.length; i++) {
      Welford.update(moments, Welford.SLOTS * i, x[i]);
    }
  }

  /** x standardized into {@code out} with the moments as they are. */
  public void serve(final double[] x, final double[] out) {
    for (int i = 0; i < x.length; i++) {
      out[i] = Double.isFinite(x[i]) ? Welford.standardize(moments, Welford.SLOTS * i, x[i])
          : x[i];
    }
  }

  /** {@code v} of the feature {@code name} standardized as a training event would: no update. */
  public double train(final String name, final double v) {
    if (!Double.isFinite(v)) {
      return v;
    }
    final Integer at = index.get(name);
    // a feature's first value: its variance is 0
    return at == null ? 0.0 : Welford.preview(moments, Welford.SLOTS * at, v);
  }

  /** Adds {@code v} of the feature {@code name}, in a step taken, to its moments. */
  public void commit(final String name, final double v) {
    Integer at = index.get(name);
    if (at == null) {
      if (size == names.length) {
        names = Arrays.copyOf(names, 2 * size);
        moments = Arrays.copyOf(moments, Welford.SLOTS * 2 * size);
      }
      names[size] = name;
      at = size++;
      index.put(name, at);
    }
    Welford.update(moments, Welford.SLOTS * at, v);
  }

  /** Whether it keeps moments of the feature {@code name}. */
  public boolean has(final String name) {
    return index.containsKey(name);
  }

  /** {@code v} of the feature {@code name} standardized with its moments as they are. */
  public double serve(final String name, final double v) {
    if (!Double.isFinite(v)) {
      return v;
    }
    final Integer at = index.get(name);
    return at == null ? 0.0 : Welford.standardize(moments, Welford.SLOTS * at, v);
  }
}
