package io.gradstream.ui;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Loss;

/**
 * The mean loss of a two-parameter neuron over a window of its recent events, on a grid of its two
 * parameters (w1 and w2, or w and b): the surface the page draws as contour lines under the path
 * its parameters took. Computed with the service's own activation and loss, so that the picture is
 * of the model that learns, not of a copy of its maths.
 */
final class LossSurface {
  /** Grid points per side. */
  static final int SIDE = 41;
  /** The most recent events averaged (the window). */
  static final int WINDOW = 256;

  private LossSurface() {}

  /**
   * @param path (p1, p2) after each recent step, oldest first (not empty)
   * @param events (x..., d) of each recent step, oldest first
   * @param hasBias whether p2 is a bias (x has one feature) or a second weight (two features)
   */
  static Grid of(final double[][] path, final double[][] events, final boolean hasBias,
      final Activation activation, final Loss loss) {
    double lo1 = 0;
    double hi1 = 0;
    double lo2 = 0;
    double hi2 = 0;
    for (final double[] p : path) {
      lo1 = Math.min(lo1, p[0]);
      hi1 = Math.max(hi1, p[0]);
      lo2 = Math.min(lo2, p[1]);
      hi2 = Math.max(hi2, p[1]);
    }
    final double[] axis1 = axis(lo1, hi1);
    final double[] axis2 = axis(lo2, hi2);
    final int from = Math.max(0, events.length - WINDOW);
    final int n = events.length - from;
    final double[][] mean = new double[SIDE][SIDE];
    for (int i = 0; i < SIDE; i++) {
      for (int j = 0; j < SIDE; j++) {
        double sum = 0;
        for (int k = from; k < events.length; k++) {
          final double[] e = events[k];
          final double net = hasBias ? axis1[i] * e[0] + axis2[j]
              : axis1[i] * e[0] + axis2[j] * e[1];
          sum += loss.value(net, activation.value(net), e[e.length - 1]);
        }
        mean[j][i] = n == 0 ? Double.NaN : sum / n;
      }
    }
    return new Grid(axis1, axis2, mean, n);
  }

  /** From the path's least to its greatest value (and 0, where it starts), with a margin. */
  private static double[] axis(final double lo, final double hi) {
    final double span = Math.max(hi - lo, 0.5);
    final double from = lo - 0.25 * span;
    final double step = 1.5 * span / (SIDE - 1);
    final double[] axis = new double[SIDE];
    for (int i = 0; i < SIDE; i++) {
      axis[i] = from + i * step;
    }
    return axis;
  }

  /**
   * @param loss {@code loss[j][i]} at p1 = {@code p1[i]}, p2 = {@code p2[j]}
   * @param events how many events were averaged
   */
  record Grid(double[] p1, double[] p2, double[][] loss, int events) {}
}
