package io.gradstream.avro;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro settings every reader of gradstream's records needs, in one call: {@link #install()} before
 * decoding any of the generated classes. It is idempotent.
 *
 * <ul>
 *   <li>Avro (1.11.4+) refuses to instantiate classes it has not been told to trust, and reports
 *       that as a decoding failure: without trust, every event would be dead-lettered.
 *   <li>An event claiming an array of a billion features is refused as undecodable at once
 *       instead of being read: arrays are capped at {@value #MAX_ARRAY_ITEMS} items unless the
 *       system property {@value #MAX_ITEMS_PROPERTY} says otherwise.
 * </ul>
 */
public final class AvroSafety {
  public static final int MAX_ARRAY_ITEMS = 1_000_000;
  static final String MAX_ITEMS_PROPERTY = "org.apache.avro.limits.collectionItems.maxLength";

  private static boolean installed;

  private AvroSafety() {}

  public static synchronized void install() {
    if (installed) {
      return;
    }
    // read once, when Avro's SystemLimitException is first loaded: so set before any decoding
    if (System.getProperty(MAX_ITEMS_PROPERTY) == null) {
      System.setProperty(MAX_ITEMS_PROPERTY, Integer.toString(MAX_ARRAY_ITEMS));
    }
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
        ClassSecurityValidator.getGlobal(),
        ClassSecurityValidator.builder()
            .add(LabeledEvent.class)
            .add(TrainingMetric.class)
            .add(ModelState.class)
            .add(Prediction.class)
            .add(PendingPrediction.class)
            .add(EvaluationState.class)
            .add(WindowSegment.class)
            .add(Drift.class)
            .add(Champion.class)
            .add(RaceState.class)
            .build()));
    installed = true;
  }
}
