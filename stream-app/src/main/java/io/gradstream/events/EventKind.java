package io.gradstream.events;

/** What an event asks for, told by the fields it has. */
public enum EventKind {
  /** x (or named features) and d: one step. */
  TRAIN,
  /** x without d: a prediction, kept pending for its label when the event has an id. */
  PREDICT,
  /** id and d without x: the label of an earlier prediction. */
  LABEL,
  /** An operator's action on the model (reset, delete), with neither x nor d. */
  CONTROL,
  /** Neither x nor d, or d alone without an id, or a control with x or d: nothing to do. */
  INCOMPLETE;

  public static EventKind of(final EventFields event) {
    final boolean inputs = event.x != null || event.hasFeatures;
    if (event.control != null) {
      return !inputs && !event.hasLabel ? CONTROL : INCOMPLETE;
    }
    if (inputs) {
      return event.hasLabel ? TRAIN : PREDICT;
    }
    return event.hasLabel && event.id != null ? LABEL : INCOMPLETE;
  }

  /** Why an {@link #INCOMPLETE} event is not an event, for a person. */
  public static String incomplete(final EventFields event) {
    if (event.control != null) {
      return "a control record (" + event.control + ") carries neither x nor d";
    }
    return event.hasLabel
        ? "the event has d but no x, and no id of a prediction it labels"
        : "the event has neither x nor d";
  }
}
