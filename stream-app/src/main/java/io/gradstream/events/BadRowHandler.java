package io.gradstream.events;

/** Told about a row of an event file that was not trained or not read. */
@FunctionalInterface
public interface BadRowHandler {
  /** {@code line} is 1-based, as an editor shows it; {@code detail} may be null. */
  void onBadRow(long line, String reason, String detail);
}
