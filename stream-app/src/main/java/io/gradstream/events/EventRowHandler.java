package io.gradstream.events;

/** Receives the rows of an event file, in order. */
public interface EventRowHandler extends BadRowHandler {
  /** A row that reads as an event; its values are not checked yet. */
  void onEvent(long line, String key, EventFields event);
}
