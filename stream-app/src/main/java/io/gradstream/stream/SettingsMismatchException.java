package io.gradstream.stream;

/**
 * A stored model would be stepped under settings it was not trained with, and the operator did not
 * say to reset or keep it. Thrown before the start, or from the processor, where the task's
 * transaction is then aborted and nothing of the batch is committed.
 */
public final class SettingsMismatchException extends RuntimeException {
  public SettingsMismatchException(final String message) {
    super(message, null, false, false);
  }

  /** The mismatch somewhere in the causes of {@code failure}, or null. */
  public static SettingsMismatchException in(final Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SettingsMismatchException mismatch) {
        return mismatch;
      }
    }
    return null;
  }
}
