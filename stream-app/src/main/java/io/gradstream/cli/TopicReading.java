package io.gradstream.cli;

import io.gradstream.service.KafkaReach;
import io.gradstream.config.KafkaEnvironment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * How the reading commands (tail, export) read a topic: as a plain consumer of their own, no
 * group and no committed offsets, with the KAFKA_* settings of the environment.
 */
final class TopicReading {
  private TopicReading() {}

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
