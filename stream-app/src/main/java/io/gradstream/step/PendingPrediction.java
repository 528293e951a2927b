package io.gradstream.step;

/**
 * A prediction that waits for its label: the input it was made for, the y served, how many steps
 * the model had taken, and when (event time, milliseconds since the epoch).
 */
public final class PendingPrediction {
  public double[] x;
  public double y;
  public long modelStep;
  public long eventTime;

  public PendingPrediction() {}

  public PendingPrediction(final double[] x, final double y, final long modelStep,
      final long eventTime) {
    this.x = x;
    this.y = y;
    this.modelStep = modelStep;
    this.eventTime = eventTime;
  }
}
