package io.gradstream.events;

/**
 * One decoded event, before any check of its values. A decoder fills an instance it is handed, so
 * the per-event path needs no holder of its own.
 */
public final class EventFields {
  /** Absent event time. */
  public static final long NO_TIME = Long.MIN_VALUE;

  /** The model id when the event carries it in its body (event files); null otherwise. */
  public String key;
  public double[] x;
  public double d;
  /** False when the event has no label at all (as opposed to a non-finite one). */
  public boolean hasLabel;
  public long eventTime = NO_TIME;

  void clear() {
    key = null;
    x = null;
    d = Double.NaN;
    hasLabel = false;
    eventTime = NO_TIME;
  }
}
