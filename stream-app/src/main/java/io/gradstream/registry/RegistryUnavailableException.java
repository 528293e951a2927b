package io.gradstream.registry;

import java.io.IOException;

/**
 * The registry could not answer: unreachable, timed out, failing (5xx) or refusing these
 * credentials. Passing trouble, as far as one record knows: worth trying again, never a reason to
 * drop an event.
 */
public final class RegistryUnavailableException extends IOException {
  public RegistryUnavailableException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
