package io.gradstream.query;

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

  /**
   * The known keys, sorted: of this instance alone, or of every instance of the application that
   * answered in time.
   */
  Keys keys(boolean localOnly) throws UnavailableException;

  /**
   * Keys, and the instances ({@code host:port}) whose keys are missing because they did not
   * answer in time: a hung instance costs its own keys, not everyone's.
   */
  record Keys(List<String> keys, List<String> unanswered) {
    public Keys {
      keys = List.copyOf(keys);
      unanswered = List.copyOf(unanswered);
    }

    /** All of them: nobody else was asked, or everyone answered. */
    public static Keys complete(final List<String> keys) {
      return new Keys(keys, List.of());
    }
  }

  /** The models cannot be read right now (a store being restored, a peer not answering). */
  final class UnavailableException extends Exception {
    public UnavailableException(final String message, final Throwable cause) {
      super(message, cause);
    }
  }
}
