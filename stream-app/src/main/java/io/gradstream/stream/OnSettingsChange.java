package io.gradstream.stream;

import java.util.Locale;

/**
 * What becomes of a stored model whose settings differ from the running ones (another activation,
 * loss, learning rate, number of features, bias), met before the start or when its key's next
 * event arrives.
 */
public enum OnSettingsChange {
  /** Stop the service, exit code 2, naming the model and the settings that differ. */
  REFUSE,
  /** Start the model again from the running settings' starting point (its steps count from 1). */
  RESET,
  /**
   * Keep its weights, steps and loss and step it under the running settings from now on; when its
   * shape (features, bias) differs there is nothing to keep, and the service stops as with refuse.
   */
  KEEP;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
