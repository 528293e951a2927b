package io.gradstream.step;


import io.gradstream.events.NamedFeatures;

/**
 * A prediction that waits for its label: the input it was made for (x, or a hashed model's named
 * features), the y served, how many steps the model had taken, and when (event time, milliseconds
 * since the epoch).
 */
public final class PendingPrediction {
  public double[] x;
  /**
   * A hashed model's input as the event named it, null for a dense model's; a hashed model's
   * prediction kept before features were (an earlier release) has its hashed input in x instead,
   * as pairs of coordinate and value.
   */
  public NamedFeatures features;
  public double y;
  public long modelStep;
  public long eventTime;

  public PendingPrediction() {}

  public PendingPrediction(final double[] x, final NamedFeatures features, final double y,
      final long modelStep, final long eventTime) {
    this.x = x;
    this.features = features;
    this.y = y;
    this.modelStep = modelStep;
    this.eventTime = eventTime;
  }
}
