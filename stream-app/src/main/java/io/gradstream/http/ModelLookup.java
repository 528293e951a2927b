package io.gradstream.http;

import io.gradstream.learn.Model;
import java.util.List;
import java.util.Optional;

/** Read access to the models the service holds, for {@code /models}. */
public interface ModelLookup {
  /** The model of one key, if this service knows it. */
  Optional<Model> find(String key) throws UnavailableException;

  /** All known keys, sorted. */
  List<String> keys() throws UnavailableException;

  /** The models cannot be read right now (the store is being restored or rebalanced). */
  final class UnavailableException extends Exception {
    public UnavailableException(final String message, final Throwable cause) {
      super(message, cause);
    }
  }
}
