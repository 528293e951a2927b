package io.gradstream.predict;

/**
 * What decides whether an event is used, beside the model's own checks: how late its label may
 * come, and how large a feature may be. The stream and replay judge by the same rules.
 *
 * @param maxAbsFeature an event with a feature beyond ±this is a dead letter
 *     feature-out-of-range, instead of a step that can throw a model far off for good (a feature
 *     of 1e300 under the Huber loss left a model at 1e298); infinite for no limit
 */
public record EventRules(LabelTtl labels, double maxAbsFeature) {
  public EventRules {
    if (Double.isNaN(maxAbsFeature) || maxAbsFeature <= 0) {
      throw new IllegalArgumentException("max abs feature must be a number above 0, got "
          + maxAbsFeature);
    }
  }

  /** With no limit on features. */
  public static EventRules of(final LabelTtl labels) {
    return new EventRules(labels, Double.POSITIVE_INFINITY);
  }

  public static EventRules defaults() {
    return of(LabelTtl.defaults());
  }
}
