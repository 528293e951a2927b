package io.gradstream.metrics;

import io.gradstream.learn.Outcome;
import io.gradstream.learn.StepResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The learning meters: events by outcome and reason, and the distributions of loss and gradient
 * norm. Every meter is registered up front so that recording one event is an array index and an
 * add, with no lookup and no allocation.
 */
public final class TrainingMeters {
  /** Loss and gradient norm span many decades; buckets every half decade from 1e-8 to 1e4. */
  private static final double[] DECADE_BUCKETS = halfDecades(-8, 4);

  private final Counter[] events;
  private final DistributionSummary loss;
  private final DistributionSummary gradientNorm;

  public TrainingMeters(final MeterRegistry registry) {
    final Outcome[] outcomes = Outcome.values();
    events = new Counter[outcomes.length];
    for (final Outcome o : outcomes) {
      events[o.ordinal()] = Counter.builder("gradstream.events")
          .description("Training events by outcome (trained or invalid) and reason")
          .tag("outcome", o == Outcome.TRAINED ? "trained" : "invalid")
          .tag("reason", o == Outcome.TRAINED ? "none" : o.code())
          .register(registry);
    }
    loss = DistributionSummary.builder("gradstream.loss")
        .description("Prequential loss L = ½e² of each trained event, before its step")
        .serviceLevelObjectives(DECADE_BUCKETS)
        .register(registry);
    gradientNorm = DistributionSummary.builder("gradstream.gradient.norm")
        .description("L2 norm of the gradient of each trained event")
        .serviceLevelObjectives(DECADE_BUCKETS)
        .register(registry);
  }

  public void trained(final StepResult step) {
    events[Outcome.TRAINED.ordinal()].increment();
    loss.record(step.loss());
    gradientNorm.record(step.gradientNorm());
  }

  public void refused(final Outcome reason) {
    events[reason.ordinal()].increment();
  }

  private static double[] halfDecades(final int fromExponent, final int toExponent) {
    final double[] bounds = new double[2 * (toExponent - fromExponent) + 1];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = i % 2 == 0 ? Math.pow(10, fromExponent + i / 2)
          : 3.0 * Math.pow(10, fromExponent + i / 2);
    }
    return bounds;
  }
}
