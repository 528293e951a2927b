package io.gradstream.cli;

import io.gradstream.config.KafkaEnvironment;
import io.gradstream.service.KafkaReach;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The clients of the commands that talk to Kafka directly, with the KAFKA_* settings of the
 * environment: the reading ones (tail, export) as a plain consumer of their own, no group and no
 * committed offsets; the writing ones (feed, import) as an idempotent producer that waits for
 * every replica.
 */
final class KafkaClients {
  private KafkaClients() {}

  /** @param committedOnly read what exactly-once producers committed, as their readers should */
  static Properties consumer(final Map<String, String> environment, final String servers,
      final boolean committedOnly) {
    final Properties props = new Properties();
    props.putAll(KafkaEnvironment.properties(environment));
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed"
        : "read_uncommitted");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return props;
  }

  /**
   * An idempotent producer's settings, acks=all: each record once, in order, however it retries.
   */
  static Properties producer(final Map<String, String> environment, final String servers) {
    final Properties props = new Properties();
    props.putAll(KafkaEnvironment.properties(environment));
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return props;
  }

  /** The partitions of {@code topic} in order; none when there is no such topic. */
  static List<TopicPartition> partitions(final KafkaConsumer<byte[], byte[]> consumer,
      final String topic) {
    final List<PartitionInfo> infos = consumer.partitionsFor(topic, KafkaReach.TIMEOUT);
    final List<TopicPartition> partitions = new ArrayList<>();
    if (infos != null) {
      infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    partitions.sort(Comparator.comparingInt(TopicPartition::partition));
    return partitions;
  }
}
