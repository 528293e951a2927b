package io.gradstream.it;

import io.gradstream.replay.EventRow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends test events as Avro values keyed by model id, in order, with an idempotent producer
 * (acks=all) at a steady rate, so that failures injected meanwhile land while events arrive.
 */
public final class EventProducer {
  private EventProducer() {}

  /**
   * @param perSecond events per second; 0 for as fast as possible
   * @param patient whether to wait out a broker outage (five minutes) instead of Kafka's defaults
   */
  public static void send(final String bootstrap, final String topic, final List<EventRow> rows,
      final int perSecond, final boolean patient) {
    send(bootstrap, topic, rows, EventRow::avro, perSecond, patient);
  }

  /** @param value each row's record value (Avro, JSON, ...) */
  public static void send(final String bootstrap, final String topic, final List<EventRow> rows,
      final Function<EventRow, byte[]> value, final int perSecond, final boolean patient) {
    final Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    if (patient) {
      props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
      props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "300000");
    }
    final AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      final long start = System.nanoTime();
      for (int i = 0; i < rows.size(); i++) {
        if (perSecond > 0) {
          final long wait = start + (long) (i * 1e9 / perSecond) - System.nanoTime();
          if (wait > 1_000_000) {
            Thread.sleep(wait / 1_000_000);
          }
        }
        final EventRow row = rows.get(i);
        producer.send(new ProducerRecord<>(topic, row.key().getBytes(StandardCharsets.UTF_8),
            value.apply(row)), (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failure.get() != null) {
      throw new AssertionError("an event was not delivered", failure.get());
    }
  }
}
