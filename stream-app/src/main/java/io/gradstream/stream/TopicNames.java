package io.gradstream.stream;

/** The topics the service reads and writes. */
public record TopicNames(String input, String metrics, String deadLetters) {
  public static final String DEFAULT_INPUT = "training-events";
  public static final String DEFAULT_METRICS = "training-metrics";
  public static final String DEFAULT_DEAD_LETTERS = "training-events-dlq";

  public java.util.List<String> all() {
    return java.util.List.of(input, metrics, deadLetters);
  }

  public static TopicNames defaults() {
    return new TopicNames(DEFAULT_INPUT, DEFAULT_METRICS, DEFAULT_DEAD_LETTERS);
  }
}
