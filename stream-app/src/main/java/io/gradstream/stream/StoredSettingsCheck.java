package io.gradstream.stream;

import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.race.RaceSpec;
import io.gradstream.metrics.TrainingMeters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the service starts: the last model written to each partition of the model store's
 * changelog, compared with the running settings, so that a settings change the operator did not
 * allow stops the start instead of the first event of such a model. The last writes are the most
 * recently trained models, the first to show a change of settings; every other model is compared
 * when it is loaded ({@link SettingsGuard}).
 */
public final class StoredSettingsCheck {
  private static final Logger LOG = LoggerFactory.getLogger(StoredSettingsCheck.class);
  /** Offsets read back from each partition's end: transaction markers take some of them. */
  private static final int TAIL = 32;

  private StoredSettingsCheck() {}

  /**
   * Why the service must not start with these settings, naming a stored model and what differs;
   * null when nothing is against it (or the changelog could not be read in time).
   */
  public static String refusal(final Properties streamsConfig, final ModelSpec spec,
      final OnSettingsChange policy, final TrainingMeters meters, final Duration timeout) {
    return refusal(streamsConfig, spec, null, policy, meters, timeout);
  }

  /** @param race the running race; null for one model per key */
  public static String refusal(final Properties streamsConfig, final ModelSpec spec,
      final RaceSpec race, final OnSettingsChange policy, final TrainingMeters meters,
      final Duration timeout) {
    if (policy == OnSettingsChange.RESET) {
      return null;
    }
    final StreamsConfig config = new StreamsConfig(streamsConfig);
    final String topic = config.getString(StreamsConfig.APPLICATION_ID_CONFIG) + "-"
        + TrainingTopology.STORE + "-changelog";
    final Map<String, Object> consumer = config.getRestoreConsumerConfigs(
        "gradstream-settings-check");
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<byte[], byte[]> changelog = new KafkaConsumer<>(consumer,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final SettingsGuard guard = new SettingsGuard(spec, policy, meters);
      final RaceGuard races = new RaceGuard(race, guard, policy, meters);
      final ModelSerde serde = ModelSerde.reader();
      for (final ConsumerRecord<byte[], byte[]> last : lastRecords(changelog, topic, timeout)) {
        final String key = new String(last.key(), StandardCharsets.UTF_8);
        final String refusal = race != null || RaceSerde.isRace(last.value())
            ? races.refusal(key, last.value()) : guard.refusal(key, serde.read(last.value()));
        if (refusal != null) {
          return refusal;
        }
      }
    } catch (final KafkaException e) {
      LOG.warn("could not read the stored models' settings before starting ({}); each model is "
          + "compared when it is loaded", e.toString());
    }
    return null;
  }

  private static Iterable<ConsumerRecord<byte[], byte[]>> lastRecords(
      final KafkaConsumer<byte[], byte[]> changelog, final String topic, final Duration timeout) {
    if (!changelog.listTopics(timeout).containsKey(topic)) {
      return List.of();
    }
    final List<TopicPartition> partitions = changelog.partitionsFor(topic, timeout).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    changelog.assign(partitions);
    final Map<TopicPartition, Long> begin = changelog.beginningOffsets(partitions, timeout);
    final Map<TopicPartition, Long> end = changelog.endOffsets(partitions, timeout);
    for (final TopicPartition p : partitions) {
      changelog.seek(p, Math.max(begin.get(p), end.get(p) - TAIL));
    }
    final Map<TopicPartition, ConsumerRecord<byte[], byte[]>> last = new HashMap<>();
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && partitions.stream()
        .anyMatch(p -> changelog.position(p, timeout) < end.get(p))) {
      for (final ConsumerRecord<byte[], byte[]> r : changelog.poll(Duration.ofMillis(100))) {
        if (r.key() != null && r.value() != null) {
          last.put(new TopicPartition(r.topic(), r.partition()), r);
        }
      }
    }
    return last.values();
  }
}
