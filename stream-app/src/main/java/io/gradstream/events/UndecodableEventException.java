package io.gradstream.events;

/** The bytes or the row are not an event at all; the message says what was wrong. */
public final class UndecodableEventException extends Exception {
  private final Outcome reason;

  public UndecodableEventException(final String message) {
    this(Outcome.UNDECODABLE, message, null);
  }

  public UndecodableEventException(final String message, final Throwable cause) {
    this(Outcome.UNDECODABLE, message, cause);
  }

  /** @param reason the dead letter's reason: undecodable, or a registry's schema that is not */
  public UndecodableEventException(final Outcome reason, final String message,
      final Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Outcome reason() {
    return reason;
  }
}
