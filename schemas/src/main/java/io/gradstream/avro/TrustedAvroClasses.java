package io.gradstream.avro;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro (1.11.4+) refuses to instantiate classes it has not been told to trust, and reports that as
 * a decoding failure: without this, every event would be dead-lettered as undecodable. Call {@link
 * #register()} before decoding any of the generated classes; it is idempotent.
 */
public final class TrustedAvroClasses {
  private static boolean registered;

  private TrustedAvroClasses() {}

  public static synchronized void register() {
    if (registered) {
      return;
    }
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
        ClassSecurityValidator.getGlobal(),
        ClassSecurityValidator.builder()
            .add(LabeledEvent.class)
            .add(TrainingMetric.class)
            .add(ModelState.class)
            .build()));
    registered = true;
  }
}
