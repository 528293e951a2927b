package io.gradstream.registry;

/**
 * A stream thread waited {@link RegistrySettings#outageRetry()} for the registry and gave up the
 * record it could not read. The thread dies with it and is replaced, resuming from its last
 * commit, so the record is read again, never skipped.
 */
public final class RegistryOutageException extends RuntimeException {
  public RegistryOutageException(final String message, final Throwable cause) {
    super(message, cause);
  }

  /** The outage among {@code failure} and its causes, or null. */
  public static RegistryOutageException in(final Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RegistryOutageException outage) {
        return outage;
      }
    }
    return null;
  }
}
