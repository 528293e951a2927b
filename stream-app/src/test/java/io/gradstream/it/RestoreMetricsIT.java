package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.avro.AvroValues;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.demo.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore shows in {@code /metrics} while it runs, as the dashboard's restoration panel needs:
 * a million models, the state directory wiped, and the restart scraped until it is ready.
 */
class RestoreMetricsIT {
  private static final int MODELS = 1_000_000;
  private static final Pattern REMAINING = Pattern.compile(
      "kafka_stream_task_restore_remaining_records_total\\{[^}]*} ([0-9.E+]+)");

  @TempDir
  Path dir;

  @Test
  void aRestoreIsVisibleInMetricsWhileItRuns() throws Exception {
    try (KafkaTestCluster kafka = KafkaTestCluster.start(1)) {
      final Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
      p.put(ProducerConfig.BATCH_SIZE_CONFIG, "524288");
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p,
          new ByteArraySerializer(), new ByteArraySerializer())) {
        final byte[] value = AvroValues.bytes(LabeledEvent.getEncoder(),
            new LabeledEvent(List.of(0.5), 0.25, null, null));
        for (int i = 0; i < MODELS; i++) {
          producer.send(new ProducerRecord<>("training-events",
              ("m-" + i).getBytes(StandardCharsets.UTF_8), value));
        }
      }
      final Path state = dir.resolve("state");
      final Path log = dir.resolve("service.log");
      final int port = EmbeddedKafka.freePort();
      final String[] args = {"run", "--bootstrap-servers", kafka.bootstrapServers(),
          "--state-dir", state.toString()};
      try (ServiceProcess service = ServiceProcess.start(log, Map.of(), port, args)) {
        service.awaitReady(Duration.ofSeconds(90));
        final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (service.status("/models/m-" + (MODELS - 1)) != 200
            && System.nanoTime() < deadline) {
          Thread.sleep(500);
        }
        assertThat(service.status("/models/m-" + (MODELS - 1))).isEqualTo(200);
        service.terminate(Duration.ofSeconds(30));
      }
      io.gradstream.demo.EmbeddedKafka.deleteRecursively(state);

      double seen = 0;
      int scrapes = 0;
      try (ServiceProcess service = ServiceProcess.start(log, Map.of(), port, args)) {
        final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (service.status("/health/ready") != 200 && System.nanoTime() < deadline) {
          if (service.status("/metrics") == 200) {
            final Matcher m = REMAINING.matcher(service.get("/metrics"));
            while (m.find()) {
              seen = Math.max(seen, Double.parseDouble(m.group(1)));
            }
            scrapes++;
          }
          Thread.sleep(100);
        }
        assertThat(service.status("/health/ready")).isEqualTo(200);
      }
      assertThat(seen).as("records left to restore seen in %d scrapes before ready", scrapes)
          .isPositive();
      System.out.printf("restore: up to %.0f records left seen in /metrics over %d scrapes%n",
          seen, scrapes);
    }
  }
}
