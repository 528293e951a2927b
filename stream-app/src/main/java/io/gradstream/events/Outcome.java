package io.gradstream.events;

import io.gradstream.learn.Verdict;

/**
 * What became of one event: trained, predicted, an operator's action carried out, or refused for a
 * reason, whether the reading refused it, the service (its key, its label's prediction) or the
 * learner ({@link Verdict}). The reason's {@link #code()} is what users see in the dead-letter
 * header, the replay summary and the metrics' {@code reason} label.
 */
public enum Outcome {
  TRAINED("trained"),
  /** A prediction was made (and published). */
  PREDICTED("predicted"),
  /** An operator's action on the model (reset, delete) was carried out. */
  CONTROLLED("controlled"),
  /** A control record whose action is none of reset, delete and set. */
  UNKNOWN_CONTROL("unknown-control"),
  /** A set control record whose model is missing, unreadable, or of another shape. */
  MODEL_MISFIT("model-misfit"),
  /** The bytes (or the file row) could not be read as an event at all. */
  UNDECODABLE("undecodable"),
  /** A registry-framed record whose schema id the schema registry does not know. */
  UNKNOWN_SCHEMA_ID("unknown-schema-id"),
  /** A registry-framed record whose writer schema does not resolve against LabeledEvent's. */
  SCHEMA_NOT_RESOLVABLE("schema-not-resolvable"),
  /** No model id: a null or empty Kafka key. */
  MISSING_KEY("missing-key"),
  /** Neither x nor d, or d without x and without the id of a prediction to label. */
  INCOMPLETE_EVENT("incomplete-event"),
  /** A label whose id names no pending prediction of its model (never made, labelled, expired). */
  UNKNOWN_PREDICTION("unknown-prediction"),
  /** A label later than the time to live after its prediction, in event time. */
  LABEL_TOO_LATE("label-too-late"),
  WRONG_FEATURE_COUNT("wrong-feature-count"),
  /** Named features for a model that takes x, or x for one that takes named features. */
  WRONG_INPUT("wrong-input"),
  /** More terms (features and their interactions) than --max-terms. */
  TOO_MANY_TERMS("too-many-terms"),
  /** A number given twice by the same name to a model that scales numbers (--scale). */
  DUPLICATE_FEATURE("duplicate-feature"),
  NON_FINITE_FEATURE("non-finite-feature"),
  /** A hashed model that would touch more coordinates than --max-coordinates. */
  MODEL_FULL("model-full"),
  /** A feature beyond the limit the operator set (--max-abs-feature). */
  FEATURE_OUT_OF_RANGE("feature-out-of-range"),
  NON_FINITE_LABEL("non-finite-label"),
  /** A label the loss cannot take (the logistic loss takes d in [0, 1]). */
  LABEL_OUT_OF_RANGE("label-out-of-range"),
  /** The event was valid but its step would have made the model non-finite (overflow). */
  NON_FINITE_STEP("non-finite-step"),
  /** Finite x and weights whose prediction overflows (net beyond the doubles, identity). */
  NON_FINITE_PREDICTION("non-finite-prediction");

  private static final Outcome[] OF_VERDICT = new Outcome[Verdict.values().length];

  static {
    for (final Verdict verdict : Verdict.values()) {
      OF_VERDICT[verdict.ordinal()] = valueOf(verdict.name());
    }
  }

  private final String code;

  Outcome(final String code) {
    this.code = code;
  }

  /** The outcome of an event whose fate the learner decided. */
  public static Outcome of(final Verdict verdict) {
    return OF_VERDICT[verdict.ordinal()];
  }

  public String code() {
    return code;
  }

  /** Whether the event was refused (a dead letter), rather than used. */
  public boolean refused() {
    return this != TRAINED && this != PREDICTED && this != CONTROLLED;
  }

  /** {@link #detail} for a hashed model's event, whose input is named features, not x. */
  public String namedDetail(final int features) {
    return this == NON_FINITE_FEATURE ? "a feature is NaN or infinite" : detail(0, features);
  }

  /** One sentence for a person: why a read event was refused (null for the other outcomes). */
  public String detail(final int xLength, final int features) {
    return switch (this) {
      case WRONG_FEATURE_COUNT -> "x has " + xLength + (xLength == 1 ? " value" : " values")
          + ", the model has " + features + (features == 1 ? " feature" : " features");
      case NON_FINITE_FEATURE -> "x holds a NaN or infinite value";
      case NON_FINITE_LABEL -> "d is NaN or infinite";
      case LABEL_OUT_OF_RANGE -> "d is outside [0, 1], the labels of the logistic loss";
      case NON_FINITE_STEP -> "the step would make the model non-finite (overflow); not taken";
      case NON_FINITE_PREDICTION -> "w·x + b overflows: the prediction would not be a number";
      default -> null;
    };
  }
}
