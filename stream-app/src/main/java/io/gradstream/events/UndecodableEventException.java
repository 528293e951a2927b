package io.gradstream.events;

/** The bytes or the row are not an event at all; the message says what was wrong. */
public final class UndecodableEventException extends Exception {
  public UndecodableEventException(final String message) {
    super(message);
  }

  public UndecodableEventException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
