package io.gradstream.stream;

import io.gradstream.events.ModelControl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Sends operators' control records ({@link ModelControl}) to the input topic under the model's
 * key, where the stream applies them in order with the key's events. Kafka's default partitioner
 * puts them in the key's partition, as it puts the events of any producer with default settings.
 */
public final class ControlRecords implements AutoCloseable {
  private static final Duration ACKNOWLEDGED_WITHIN = Duration.ofSeconds(30);

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;

  /** @param streamsConfig the service's Kafka settings: its connection and security are used */
  public ControlRecords(final Properties streamsConfig, final String topic) {
    this.topic = topic;
    final Map<String, Object> config = new HashMap<>();
    streamsConfig.forEach((name, value) -> {
      final String key = name.toString();
      if (ProducerConfig.configNames().contains(key)) {
        config.put(key, value);
      }
    });
    // the settings Streams gives its own producers win over the shared ones, as in Streams
    streamsConfig.forEach((name, value) -> {
      final String key = name.toString();
      if (key.startsWith(StreamsConfig.PRODUCER_PREFIX)) {
        config.put(key.substring(StreamsConfig.PRODUCER_PREFIX.length()), value);
      }
    });
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, streamsConfig.getProperty(
        StreamsConfig.APPLICATION_ID_CONFIG) + "-admin");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends {@code action} for {@code key} and waits until Kafka has it. */
  public RecordMetadata send(final String key, final ModelControl action)
      throws ExecutionException, InterruptedException, TimeoutException {
    final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null,
        key.getBytes(StandardCharsets.UTF_8), new byte[0], List.of(new RecordHeader(
            ModelControl.HEADER, action.code().getBytes(StandardCharsets.UTF_8))));
    return producer.send(record).get(ACKNOWLEDGED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
