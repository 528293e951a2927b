package io.gradstream.registry;

import java.io.IOException;

/**
 * The registry answered and said no: a schema it will not register under a subject (incompatible
 * with the subject's earlier versions, invalid, or not allowed to these credentials).
 */
public final class RegistryRefusalException extends IOException {
  public RegistryRefusalException(final String message) {
    super(message);
  }
}
