package io.gradstream.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradstream.learn.Model;
import java.util.SortedMap;

/**
 * One decoded event, before any check of its values. A decoder fills an instance it is handed, so
 * the per-event path needs no holder of its own. Which fields are present decides the event's
 * kind ({@link EventKind}).
 */
public final class EventFields {
  /** Absent event time. */
  public static final long NO_TIME = Long.MIN_VALUE;

  /** The model id when the event carries it in its body (event files); null otherwise. */
  public String key;
  /** The features; null when the event has none (a label for an earlier prediction). */
  public double[] x;
  /** Named features, for a hashed model; valid when {@link #hasFeatures}. */
  public final NamedFeatures features = new NamedFeatures();
  /** True when the event carries named features (an object, even an empty one). */
  public boolean hasFeatures;
  public double d;
  /**
   * A label given by its class name (a multi-class model's), null otherwise; the model's classes
   * turn it into d, the class index.
   */
  public String label;
  /** False when the event has no label at all (as opposed to a non-finite one). */
  public boolean hasLabel;
  public long eventTime = NO_TIME;
  /** The event's id, null when it has none. */
  public String id;
  /** An operator's action on the model ({@link ModelControl}'s code), null for an event. */
  public String control;
  /** A {@link ModelControl#SET} control record's model as an event file writes it (JSON). */
  public JsonNode controlModelJson;
  /** A set control record's model, once read, and the settings it was stored under. */
  public Model controlModel;
  public SortedMap<String, String> controlSettings;

  public void clear() {
    key = null;
    x = null;
    features.clear();
    hasFeatures = false;
    d = Double.NaN;
    label = null;
    hasLabel = false;
    eventTime = NO_TIME;
    id = null;
    control = null;
    controlModelJson = null;
    controlModel = null;
    controlSettings = null;
  }

  /** The event's time: its own, else {@code recordTime} (the Kafka record timestamp). */
  public long time(final long recordTime) {
    return eventTime != NO_TIME ? eventTime : recordTime;
  }
}
