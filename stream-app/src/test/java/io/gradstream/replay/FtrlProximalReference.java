package io.gradstream.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * FTRL-Proximal (McMahan et al. 2013, algorithm 1) with a logistic loss, written for the tests
 * over the vectors scikit-learn made of a stream's events: per key, a state (z, n) per coordinate
 * and for the bias, whose input is always 1.
 *
 * @param w each key's weights by coordinate (0 where L1 holds one at 0)
 * @param b each key's bias
 */
public record FtrlProximalReference(Map<String, Map<Integer, Double>> w, Map<String, Double> b) {
  private static final int BIAS = -1;

  /**
   * @param label the field of each event that holds its label d
   */
  public static FtrlProximalReference train(final JsonNode events, final String label,
      final double alpha, final double beta, final double l1, final double l2) {
    final Map<String, Map<Integer, double[]>> zn = new HashMap<>();
    for (final JsonNode e : events) {
      final String key = e.get("key").textValue();
      final Map<Integer, double[]> state = zn.computeIfAbsent(key, k -> new HashMap<>());
      final Map<Integer, Double> x = vector(e);
      x.put(BIAS, 1.0);
      double net = 0;
      final Map<Integer, Double> weights = new HashMap<>();
      for (final Map.Entry<Integer, Double> xi : x.entrySet()) {
        final double wi = weight(state.getOrDefault(xi.getKey(), new double[2]), alpha, beta,
            l1, l2);
        weights.put(xi.getKey(), wi);
        net += wi * xi.getValue();
      }
      final double delta = sigmoid(net) - e.get(label).doubleValue();
      for (final Map.Entry<Integer, Double> xi : x.entrySet()) {
        final double[] s = state.computeIfAbsent(xi.getKey(), k -> new double[2]);
        final double g = delta * xi.getValue();
        final double sigma = (Math.sqrt(s[1] + g * g) - Math.sqrt(s[1])) / alpha;
        s[0] += g - sigma * weights.get(xi.getKey());
        s[1] += g * g;
      }
    }
    final Map<String, Map<Integer, Double>> w = new HashMap<>();
    final Map<String, Double> b = new HashMap<>();
    zn.forEach((key, state) -> {
      final Map<Integer, Double> wk = new HashMap<>();
      state.forEach((i, s) -> {
        if (i == BIAS) {
          b.put(key, weight(s, alpha, beta, l1, l2));
        } else {
          wk.put(i, weight(s, alpha, beta, l1, l2));
        }
      });
      w.put(key, wk);
    });
    return new FtrlProximalReference(w, b);
  }

  /** sklearn's vector of an event: coordinate to value. */
  static Map<Integer, Double> vector(final JsonNode e) {
    final Map<Integer, Double> x = new HashMap<>();
    for (final JsonNode pair : e.get("vector")) {
      x.put(pair.get(0).intValue(), pair.get(1).doubleValue());
    }
    return x;
  }

  static double sigmoid(final double net) {
    return 1.0 / (1.0 + Math.exp(-net));
  }

  /** McMahan et al.'s weight from the coordinate's state (z, n). */
  private static double weight(final double[] s, final double alpha, final double beta,
      final double l1, final double l2) {
    if (Math.abs(s[0]) <= l1) {
      return 0.0;
    }
    return -(s[0] - Math.signum(s[0]) * l1) / ((beta + Math.sqrt(s[1])) / alpha + l2);
  }
}
