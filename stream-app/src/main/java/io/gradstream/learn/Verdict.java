package io.gradstream.learn;

/**
 * The learner's answer to one event: it stepped, it predicted, or why it would not. What the
 * service makes of an event as a whole (its reading, its key, its label's prediction) is the
 * service's, apart from the learning.
 */
public enum Verdict {
  TRAINED,
  /** A prediction was made. */
  PREDICTED,
  /** x has another length than the model's features. */
  WRONG_FEATURE_COUNT,
  NON_FINITE_FEATURE,
  /** A hashed model that would touch more coordinates than it may (--max-coordinates). */
  MODEL_FULL,
  NON_FINITE_LABEL,
  /** A label the loss cannot take (the logistic loss takes d in [0, 1]). */
  LABEL_OUT_OF_RANGE,
  /** The event was valid but its step would have made the model non-finite (overflow). */
  NON_FINITE_STEP,
  /** Finite x and weights whose prediction overflows (net beyond the doubles, identity). */
  NON_FINITE_PREDICTION
}
