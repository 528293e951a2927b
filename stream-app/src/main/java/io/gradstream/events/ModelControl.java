package io.gradstream.events;

/**
 * An operator's action on one model, carried by the stream itself: a record on the input topic
 * under the model's key with the header {@value #HEADER} (or, in an event file or a JSON value,
 * the field {@code "control"}), so that it is ordered with the key's events, applied exactly once,
 * and replayed as it happened.
 */
public enum ModelControl {
  /** The model starts again from its initial parameters, optimizer state and counts. */
  RESET("reset"),
  /** The model is removed; the key's next training event starts a new one. */
  DELETE("delete"),
  /**
   * The model becomes the one the record carries (its value, or the field {@code "model"}: a
   * model as {@code gradstream export} writes it): what {@code gradstream import} sends.
   */
  SET("set");

  /** The record header of a control record; its value is the action's {@link #code()}. */
  public static final String HEADER = "gradstream-control";

  private final String code;

  ModelControl(final String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The action named {@code code}, or null when there is none of that name. */
  public static ModelControl of(final String code) {
    for (final ModelControl c : values()) {
      if (c.code.equals(code)) {
        return c;
      }
    }
    return null;
  }
}
