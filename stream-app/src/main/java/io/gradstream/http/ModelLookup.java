package io.gradstream.http;

import io.gradstream.learn.Model;
import java.util.List;
import java.util.Optional;

/** Read access to the models, for {@code /models}. */
public interface ModelLookup {
  /**
   * The model of one key, if it exists.
   *
   * @param localOnly answer from this instance alone (a request forwarded by another instance),
   *     never ask elsewhere
   */
  Optional<Model> find(String key, boolean localOnly) throws UnavailableException;

  /** The known keys, sorted: of this instance alone, or of every instance of the application. */
  List<String> keys(boolean localOnly) throws UnavailableException;

  /** The models cannot be read right now (a store being restored, a peer not answering). */
  final class UnavailableException extends Exception {
    public UnavailableException(final String message, final Throwable cause) {
      super(message, cause);
    }
  }
}
