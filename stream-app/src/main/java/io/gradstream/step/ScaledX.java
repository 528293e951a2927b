package io.gradstream.step;

import io.gradstream.learn.Model;
import io.gradstream.learn.features.StandardScaler;

/**
 * x as a model that scales ({@code --scale standard}) learns from it or predicts with it: each
 * coordinate standardized by the model's scaler into an array of its own, reused; x itself for a
 * model without a scaler, or an x of another length (which the learner refuses). One per thread.
 */
public final class ScaledX {
  private double[] scaled = new double[0];

  /**
   * x standardized for {@code model}: as its training event would ({@link #commit} once the step
   * is taken), or with the moments as they are.
   */
  public double[] of(final Model model, final double[] x, final boolean training) {
    final StandardScaler scaler = model.scaler();
    if (scaler == null || scaler.byName() || x.length != scaler.size()) {
      return x;
    }
    if (scaled.length != x.length) {
      scaled = new double[x.length];
    }
    if (training) {
      scaler.train(x, scaled);
    } else {
      scaler.serve(x, scaled);
    }
    return scaled;
  }

  /** Adds x to the moments of {@code model}'s scaler, once its step with x was taken. */
  public static void commit(final Model model, final double[] x) {
    if (model.scaler() != null) {
      model.scaler().commit(x);
    }
  }
}
