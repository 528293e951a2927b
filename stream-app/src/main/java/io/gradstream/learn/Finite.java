package io.gradstream.learn;

/** The checks that keep every published number finite, shared by the neuron and the network. */
final class Finite {
  private Finite() {}

  /** Whether a[from..to) are all finite: Σ(u − u) is 0 then, NaN as soon as one is not. */
  static boolean all(final double[] a, final int from, final int to) {
    double p0 = 0.0;
    double p1 = 0.0;
    double p2 = 0.0;
    double p3 = 0.0;
    int i = from;
    for (; i + 3 < to; i += 4) {
      p0 += a[i] - a[i];
      p1 += a[i + 1] - a[i + 1];
      p2 += a[i + 2] - a[i + 2];
      p3 += a[i + 3] - a[i + 3];
    }
    for (; i < to; i++) {
      p0 += a[i] - a[i];
    }
    return ((p0 + p1) + (p2 + p3)) == 0.0;
  }

  /** Whether every p − η·g is finite, by the same probe as {@link #all}. */
  static boolean all(final double[] p, final double[] g, final double eta) {
    double p0 = 0.0;
    double p1 = 0.0;
    double p2 = 0.0;
    double p3 = 0.0;
    int i = 0;
    for (; i + 3 < p.length; i += 4) {
      final double u0 = p[i] - eta * g[i];
      final double u1 = p[i + 1] - eta * g[i + 1];
      final double u2 = p[i + 2] - eta * g[i + 2];
      final double u3 = p[i + 3] - eta * g[i + 3];
      p0 += u0 - u0;
      p1 += u1 - u1;
      p2 += u2 - u2;
      p3 += u3 - u3;
    }
    for (; i < p.length; i++) {
      final double u = p[i] - eta * g[i];
      p0 += u - u;
    }
    return (p0 + p1) + (p2 + p3) == 0.0;
  }

  /**
   * ‖a[from..to)‖ (with {@code extra} as one more entry) when the plain sum of squares overflows:
   * scaled by the largest entry first.
   */
  static double scaledNorm(final double[] a, final int from, final int to, final double extra) {
    double max = Math.abs(extra);
    for (int i = from; i < to; i++) {
      max = Math.max(max, Math.abs(a[i]));
    }
    if (!Double.isFinite(max)) {
      return max;
    }
    double squares = (extra / max) * (extra / max);
    for (int i = from; i < to; i++) {
      squares += (a[i] / max) * (a[i] / max);
    }
    return max * Math.sqrt(squares);
  }
}
