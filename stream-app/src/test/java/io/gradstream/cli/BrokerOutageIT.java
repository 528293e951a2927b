package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.avro.AvroSafety;
import io.gradstream.config.ServiceSettings;
import io.gradstream.it.CrashRecoveryIT;
import io.gradstream.it.TopicReader;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.local.EmbeddedKafka;
import io.gradstream.replay.EventRow;
import io.gradstream.replay.Replay;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.TopicNames;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Kafka (one node, broker and controller) goes away for 20 s while the service trains
 * and events arrive; it comes back on the same port with its data. The service recovers by itself
 * and the result is exact: models equal replay, one metric per valid event.
 */
class BrokerOutageIT {
  private static final int FEATURES = 2;
  private static final ModelSpec SPEC = new ModelSpec(FEATURES, false, Activation.SIGMOID, 0.1,
      null, 0.0);
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @Test
  void serviceRecoversByItselfAndTheResultIsExact() throws Exception {
    AvroSafety.install();
    final List<EventRow> rows = EventRow.random(new Random(3), 60_000, FEATURES, 8);
    final Replay replay = new Replay(SPEC);
    replay.train(new StringReader(EventRow.jsonLines(rows)), (line, reason, detail) -> { });
    final long valid = rows.stream().filter(r -> r.valid(FEATURES)).count();

    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.freePort())) {
      final TopicNames topics = TopicNames.defaults();
      final ServiceSettings settings = new ServiceSettings(kafka.bootstrapServers(), "outage",
          topics, InputFormat.AVRO, Files.createTempDirectory(dir, "state"), 0, 20, Map.of());
      final boolean[] failed = {false};
      try (ServiceRunner service = new ServiceRunner(settings, SPEC,
          new PrintWriter(new StringWriter()), () -> failed[0] = true)) {
        final Thread producer = new Thread(() -> produce(kafka.bootstrapServers(),
            topics.input(), rows));
        producer.start();
        Thread.sleep(5000);
        kafka.stopBroker();
        System.out.println("broker stopped for " + OUTAGE.toSeconds() + " s");
        Thread.sleep(OUTAGE.toMillis());
        kafka.startBroker();
        System.out.println("broker started again");
        producer.join();

        CrashRecoveryIT.assertExactlyOneMetricPerValidEvent(TopicReader.read(
            kafka.bootstrapServers(), topics.metrics(), (int) valid, Duration.ofSeconds(240)),
            rows, FEATURES);
        assertThat(failed[0]).as("Kafka Streams died").isFalse();
        assertThat(service.failed()).isFalse();
        for (final Map.Entry<String, Model> e : replay.models().entrySet()) {
          final Model served = service.models().find(e.getKey(), true).orElseThrow();
          assertThat(served.count()).isEqualTo(e.getValue().count());
          assertThat(served.weights()).containsExactly(e.getValue().weights());
          assertThat(served.lossSum()).isEqualTo(e.getValue().lossSum());
        }
      }
    }
  }

  /** 2,000 events/s over 30 s; the idempotent producer buffers and retries through the outage. */
  private static void produce(final String bootstrap, final String topic,
      final List<EventRow> rows) {
    final Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "300000");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      final long start = System.nanoTime();
      for (int i = 0; i < rows.size(); i++) {
        final long wait = start + i * 500_000L - System.nanoTime();
        if (wait > 1_000_000) {
          Thread.sleep(wait / 1_000_000);
        }
        final EventRow row = rows.get(i);
        producer.send(new ProducerRecord<>(topic, row.key().getBytes(StandardCharsets.UTF_8),
            row.avro()), (metadata, e) -> {
              if (e != null) {
                throw new AssertionError("an event was not delivered", e);
              }
            });
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
