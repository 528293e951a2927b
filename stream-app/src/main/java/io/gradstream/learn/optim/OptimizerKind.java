package io.gradstream.learn.optim;

import java.util.Arrays;
import java.util.List;

/** The optimizers, by the name {@code --optimizer} takes and the models' stored settings keep. */
public enum OptimizerKind {
  SGD("sgd", 0),
  MOMENTUM("momentum", 1),
  NESTEROV("nesterov", 1),
  ADAGRAD("adagrad", 1),
  RMSPROP("rmsprop", 1),
  ADAM("adam", 2),
  ADAMW("adamw", 2),
  FTRL("ftrl", 2);

  private final String optionName;
  private final int slots;

  OptimizerKind(final String optionName, final int slots) {
    this.optionName = optionName;
    this.slots = slots;
  }

  /** The kind {@code --optimizer NAME} names; an unknown name is refused with the known ones. */
  public static OptimizerKind named(final String name) {
    for (final OptimizerKind kind : values()) {
      if (kind.optionName.equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("optimizer '" + name + "' is unknown (expected "
        + String.join(", ", optionNames()) + ")");
  }

  public static List<String> optionNames() {
    return Arrays.stream(values()).map(OptimizerKind::optionName).toList();
  }

  public String optionName() {
    return optionName;
  }

  /** State doubles per parameter: moments, accumulators; 0 for plain SGD. */
  public int slots() {
    return slots;
  }

  /** The option name, as messages and stored settings write it. */
  @Override
  public String toString() {
    return optionName;
  }
}
