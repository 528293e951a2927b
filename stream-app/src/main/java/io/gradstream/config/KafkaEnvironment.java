package io.gradstream.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Kafka client and Streams properties from {@code KAFKA_}-prefixed environment variables, the
 * convention of Kafka's own container images: {@code KAFKA_SASL_MECHANISM} → {@code
 * sasl.mechanism}.
 */
public final class KafkaEnvironment {
  public static final String PREFIX = "KAFKA_";

  /** Variables that Kafka's start scripts read for the JVM, not for clients. */
  private static final Set<String> NOT_CLIENT_SETTINGS = Set.of(
      "KAFKA_HOME", "KAFKA_OPTS", "KAFKA_HEAP_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS",
      "KAFKA_LOG4J_OPTS", "KAFKA_JMX_OPTS", "KAFKA_DEBUG", "KAFKA_GC_LOG_OPTS");

  /**
   * What Kubernetes puts in every pod of a namespace that has a Service named kafka (service
   * links: KAFKA_SERVICE_HOST, KAFKA_PORT_9092_TCP_ADDR, ...); no Kafka setting looks like these.
   */
  private static final Pattern SERVICE_LINKS =
      Pattern.compile("KAFKA_(SERVICE_HOST|SERVICE_PORT(_\\w+)?|PORT(_\\d+_(TCP|UDP|SCTP)\\w*)?)");

  private KafkaEnvironment() {}

  public static Map<String, String> properties(final Map<String, String> environment) {
    final Map<String, String> props = new TreeMap<>();
    environment.forEach((name, value) -> {
      if (isSetting(name)) {
        props.put(propertyName(name), value);
      }
    });
    return props;
  }

  /**
   * What is wrong with the {@code KAFKA_*} variables of {@code environment}, or null: one that
   * names no Kafka client or Streams setting is a misspelling, which Kafka would only log as an
   * unused property while the setting it meant stays at its default.
   */
  public static String unknownVariable(final Map<String, String> environment) {
    for (final String name : new TreeSet<>(environment.keySet())) {
      if (isSetting(name) && !KafkaSettingNames.isKnown(propertyName(name))) {
        final Set<String> known = new TreeSet<>();
        KafkaSettingNames.all().forEach(p -> known.add(variableName(p)));
        return "unknown Kafka setting " + name + " in the environment ("
            + propertyName(name) + ")" + DidYouMean.suggestion(name, known)
            + " (KAFKA_<PROPERTY> sets a Kafka client or Streams property)";
      }
    }
    return null;
  }

  /** As {@link #unknownVariable}, for Kafka properties by their own names (in {@code where}). */
  public static String unknownProperty(final Map<String, String> props, final String where) {
    for (final String name : new TreeSet<>(props.keySet())) {
      if (!KafkaSettingNames.isKnown(name)) {
        return "unknown Kafka setting '" + name + "' in " + where
            + DidYouMean.suggestion(name, KafkaSettingNames.all());
      }
    }
    return null;
  }

  private static boolean isSetting(final String name) {
    return name.startsWith(PREFIX) && name.length() > PREFIX.length()
        && !NOT_CLIENT_SETTINGS.contains(name) && !SERVICE_LINKS.matcher(name).matches();
  }

  private static String propertyName(final String variable) {
    return variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private static String variableName(final String property) {
    return PREFIX + property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
