package io.gradstream.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings Kafka's clients and Kafka Streams take, read from Kafka's own config definitions,
 * so that a misspelt one is refused at start instead of being logged as unused by Kafka and left
 * at its default ({@code bootstrap.server} for {@code bootstrap.servers} started an embedded broker
 * and wiped an application's state before this check).
 */
final class KafkaSettingNames {
  /** Prefixes after which any name is the user's own (rack tags, config providers' parameters). */
  private static final List<String> OPEN_PREFIXES = List.of(StreamsConfig.CLIENT_TAG_PREFIX,
      "config.providers.", "metrics.context.");

  private static final Set<String> KNOWN = known();

  private KafkaSettingNames() {}

  static boolean isKnown(final String name) {
    if (KNOWN.contains(name) || name.equals("config.providers")) {
      return true;
    }
    for (final String prefix : OPEN_PREFIXES) {
      if (name.startsWith(prefix) && name.length() > prefix.length()) {
        return true;
      }
    }
    return false;
  }

  /** Every known name, prefixed ones included (producer.batch.size, main.consumer.…). */
  static Set<String> all() {
    return KNOWN;
  }

  private static Set<String> known() {
    final Set<String> names = new TreeSet<>(StreamsConfig.configDef().names());
    final Set<String> consumer = ConsumerConfig.configNames();
    final Set<String> producer = ProducerConfig.configNames();
    final Set<String> admin = AdminClientConfig.configNames();
    names.addAll(consumer);
    names.addAll(producer);
    names.addAll(admin);
    for (final String prefix : List.of(StreamsConfig.CONSUMER_PREFIX,
        StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
        StreamsConfig.GLOBAL_CONSUMER_PREFIX)) {
      consumer.forEach(name -> names.add(prefix + name));
    }
    producer.forEach(name -> names.add(StreamsConfig.PRODUCER_PREFIX + name));
    admin.forEach(name -> names.add(StreamsConfig.ADMIN_CLIENT_PREFIX + name));
    topicConfigs().forEach(name -> names.add(StreamsConfig.TOPIC_PREFIX + name));
    return Set.copyOf(names);
  }

  /** The topic settings of Kafka Streams' internal topics (topic.cleanup.policy, ...). */
  private static Set<String> topicConfigs() {
    final Set<String> names = new TreeSet<>();
    for (final Field field : TopicConfig.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
          && field.getName().endsWith("_CONFIG")) {
        try {
          names.add((String) field.get(null));
        } catch (final IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return names;
  }
}
