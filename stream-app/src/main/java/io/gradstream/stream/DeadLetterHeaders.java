package io.gradstream.stream;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers a dead letter carries next to the original key and value bytes. Values are UTF-8
 * text (numbers in decimal) so that kcat and the console consumer show them as they are.
 */
public final class DeadLetterHeaders {
  public static final String REASON = "gradstream.error.reason";
  public static final String DETAIL = "gradstream.error.detail";
  public static final String TOPIC = "gradstream.error.topic";
  public static final String PARTITION = "gradstream.error.partition";
  public static final String OFFSET = "gradstream.error.offset";
  public static final String EXCEPTION = "gradstream.error.exception";

  private DeadLetterHeaders() {}

  /**
   * The original headers plus ours.
   *
   * @param failure the exception that made the event unreadable; null when the event was read but
   *     refused (a reason such as wrong-feature-count needs no exception)
   */
  static Headers of(final Headers original, final String reason, final String detail,
      final String topic, final int partition, final long offset, final Throwable failure) {
    final Headers headers = new RecordHeaders(original.toArray());
    add(headers, REASON, reason);
    if (detail != null) {
      add(headers, DETAIL, detail);
    }
    add(headers, TOPIC, topic);
    add(headers, PARTITION, Integer.toString(partition));
    add(headers, OFFSET, Long.toString(offset));
    if (failure != null) {
      add(headers, EXCEPTION, failure.getClass().getName());
    }
    return headers;
  }

  private static void add(final Headers headers, final String name, final String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
