package io.gradstream.stream;

import java.nio.charset.StandardCharsets;

/**
 * A source topic's name as UTF-8 bytes, for the per-event encoders: a task reads one topic, so
 * the name is encoded once, not once per record.
 */
final class TopicUtf8 {
  private String topic;
  private byte[] utf8;

  byte[] of(final String name) {
    if (!name.equals(topic)) {
      topic = name;
      utf8 = name.getBytes(StandardCharsets.UTF_8);
    }
    return utf8;
  }
}
