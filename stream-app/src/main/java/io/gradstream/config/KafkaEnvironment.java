package io.gradstream.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka client and Streams properties from {@code KAFKA_}-prefixed environment variables, the
 * convention of Kafka's own container images: {@code KAFKA_SASL_MECHANISM} → {@code sasl.mechanism}.
 */
public final class KafkaEnvironment {
  public static final String PREFIX = "KAFKA_";

  /** Variables that Kafka's start scripts read for the JVM, not for clients. */
  private static final Set<String> NOT_CLIENT_SETTINGS = Set.of(
      "KAFKA_HOME", "KAFKA_OPTS", "KAFKA_HEAP_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS",
      "KAFKA_LOG4J_OPTS", "KAFKA_JMX_OPTS", "KAFKA_DEBUG", "KAFKA_GC_LOG_OPTS");

  private KafkaEnvironment() {}

  public static Map<String, String> properties(final Map<String, String> environment) {
    final Map<String, String> props = new TreeMap<>();
    environment.forEach((name, value) -> {
      if (name.startsWith(PREFIX) && name.length() > PREFIX.length()
          && !NOT_CLIENT_SETTINGS.contains(name)) {
        props.put(name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    return props;
  }
}
