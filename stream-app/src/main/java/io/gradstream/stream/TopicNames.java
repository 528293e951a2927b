package io.gradstream.stream;

import java.util.List;

/** The topics the service reads and writes. */
public record TopicNames(String input, String metrics, String deadLetters, String predictions,
    String drifts, String champions) {
  public static final String DEFAULT_INPUT = "training-events";
  public static final String DEFAULT_METRICS = "training-metrics";
  public static final String DEFAULT_DEAD_LETTERS = "training-events-dlq";
  public static final String DEFAULT_PREDICTIONS = "training-predictions";
  public static final String DEFAULT_DRIFTS = "training-drifts";
  public static final String DEFAULT_CHAMPIONS = "training-champions";

  /** With the default predictions and drifts topics. */
  public TopicNames(final String input, final String metrics, final String deadLetters) {
    this(input, metrics, deadLetters, DEFAULT_PREDICTIONS);
  }

  /** With the default drifts and champions topics. */
  public TopicNames(final String input, final String metrics, final String deadLetters,
      final String predictions) {
    this(input, metrics, deadLetters, predictions, DEFAULT_DRIFTS);
  }

  /** With the default champions topic. */
  public TopicNames(final String input, final String metrics, final String deadLetters,
      final String predictions, final String drifts) {
    this(input, metrics, deadLetters, predictions, drifts, DEFAULT_CHAMPIONS);
  }

  public List<String> all() {
    return List.of(input, metrics, deadLetters, predictions, drifts, champions);
  }

  public static TopicNames defaults() {
    return new TopicNames(DEFAULT_INPUT, DEFAULT_METRICS, DEFAULT_DEAD_LETTERS,
        DEFAULT_PREDICTIONS, DEFAULT_DRIFTS, DEFAULT_CHAMPIONS);
  }
}
