package io.gradstream.events;

import java.io.IOException;

/**
 * The file as a whole cannot be read as events (no label column, an ambiguous header, a JSON
 * array): found before any row is handed on, so that nothing is trained or sent from it.
 */
public final class EventFileException extends IOException {
  public EventFileException(final String message) {
    super(message);
  }
}
