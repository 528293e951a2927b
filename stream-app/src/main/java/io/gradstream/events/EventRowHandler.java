package io.gradstream.events;

/** Receives the rows of an event file, in order. */
public interface EventRowHandler {
  /** A row that reads as an event; its values are not checked yet. */
  void onEvent(long line, String key, EventFields event);

  /** A row that is not an event; {@code line} is 1-based, as an editor shows it. */
  void onBadRow(long line, String reason, String detail);
}
