package io.gradstream.learn.optim;

/** How the learning rate moves with the model's step t. */
public enum LrSchedule {
  /** η_t = η. */
  CONSTANT("constant"),
  /** η_t = η / t^powerT, as sklearn's SGD calls it. */
  INVSCALING("invscaling");

  private final String optionName;

  LrSchedule(final String optionName) {
    this.optionName = optionName;
  }

  /** The schedule {@code --lr-schedule NAME} names; anything else is refused. */
  public static LrSchedule named(final String name) {
    for (final LrSchedule schedule : values()) {
      if (schedule.optionName.equals(name)) {
        return schedule;
      }
    }
    throw new IllegalArgumentException("lr schedule must be constant or invscaling, got '" + name
        + "'");
  }

  /** The option name, as messages and stored settings write it. */
  @Override
  public String toString() {
    return optionName;
  }
}
