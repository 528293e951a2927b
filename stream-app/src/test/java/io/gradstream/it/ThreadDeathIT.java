package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.replay.EventRow;
import io.gradstream.replay.Replay;
import io.gradstream.stream.DeadLetterHeaders;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream thread that dies, on a real broker, in the service's own process: the dead-letter
 * topic is made to refuse records larger than 2 KB and an unreadable event of 5 KB is sent, so
 * that writing its dead letter fails and the thread dies (a real failure, not an injected one).
 * Once, and the limit is lifted: the thread is replaced, the failed-threads metric counts it, and
 * the event is dead-lettered once. Again, and the limit stays: the fourth death within ten minutes
 * stops the service with exit code 1. Started again with the limit lifted, it has lost and
 * repeated nothing: every model equals {@code replay}, every step is published once.
 */
class ThreadDeathIT {
  private static final int FEATURES = 2;
  private static final ModelSpec SPEC = new ModelSpec(FEATURES, true, Activation.TANH, 0.05, null,
      0.0);
  private static final Pattern FAILED = Pattern.compile(
      "(?m)^kafka_stream_failed_stream_threads_total\\{[^}]*} ([0-9.]+)");
  private static final Pattern ALIVE = Pattern.compile(
      "(?m)^kafka_stream_alive_stream_threads\\{[^}]*} ([0-9.]+)");

  /**
   * Kafka 4.3.1 keeps a replaced thread's member in the group (its replaceStreamThread asks the
   * dead thread to remain), so its replacement waits out the session timeout before it resumes:
   * 45 s by default, the broker's minimum here.
   */
  private static final Map<String, String> SESSION = Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000");

  @RegisterExtension
  static final SharedBroker kafka = new SharedBroker();

  @TempDir
  Path dir;

  @Test
  void aDeadThreadIsReplacedAndTheFourthDeathStopsTheServiceLosingNothing() throws Exception {
    final List<EventRow> rows = EventRow.random(new Random(31), 3000, FEATURES, 6);
    final String bootstrap = kafka.bootstrapServers();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic("td-in", 2, (short) 1),
          new NewTopic("td-dead", 1, (short) 1).configs(Map.of(
              TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2048")))).all().get();
      final String[] args = {"run", "--bootstrap-servers", bootstrap, "--application-id",
          "thread-death", "--input-topic", "td-in", "--metrics-topic", "td-metrics",
          "--dlq-topic", "td-dead", "--predictions-topic", "td-predictions", "--state-dir",
          Files.createDirectory(dir.resolve("state")).toString(), "--features", "2", "--bias",
          "--activation", "tanh", "--learning-rate", "0.05"};
      final Path log = dir.resolve("service.log");
      final int port = EmbeddedKafka.freePort();
      try (ServiceProcess service = ServiceProcess.start(log, SESSION, port, args)) {
        service.awaitReady(Duration.ofSeconds(90));
        assertThat(metric(service, FAILED)).isZero();
        EventProducer.send(bootstrap, "td-in", rows.subList(0, 1000), 0, false);
        sendPoison(bootstrap, "first");
        awaitMetric(service, FAILED, 1, Duration.ofSeconds(60));
        limitMessageBytes(admin, "td-dead", 1_048_576);
        EventProducer.send(bootstrap, "td-in", rows.subList(1000, 2000), 0, false);
        CrashRecoveryIT.assertExactlyOneMetricPerStep(TopicReader.read(bootstrap, "td-metrics",
            (int) steps(replay(rows.subList(0, 2000))), Duration.ofSeconds(60)),
            replay(rows.subList(0, 2000)));
        final int deaths = metric(service, FAILED);
        System.out.printf("the first poison killed %d thread(s) before its limit was lifted%n",
            deaths);
        assertThat(deaths).as("replaced, not yet stopped").isBetween(1, 3);
        assertThat(metric(service, ALIVE)).as("the thread was replaced").isEqualTo(1);
        CrashRecoveryIT.assertServedModelsEqual(service, replay(rows.subList(0, 2000)));

        limitMessageBytes(admin, "td-dead", 2048);
        sendPoison(bootstrap, "second");
        EventProducer.send(bootstrap, "td-in", rows.subList(2000, rows.size()), 0, false);
        assertThat(service.awaitExit(Duration.ofSeconds(120)))
            .as("the service stops after the fourth death:\n%s", service.output()).isTrue();
        assertThat(service.exitCode()).isEqualTo(1);
        assertThat(service.output()).contains("a stream thread died for the 4th time");
      }
      limitMessageBytes(admin, "td-dead", 1_048_576);
      try (ServiceProcess service = ServiceProcess.start(log, SESSION, port, args)) {
        service.awaitReady(Duration.ofSeconds(90));
        final Map<String, Model> expected = replay(rows);
        CrashRecoveryIT.assertExactlyOneMetricPerStep(TopicReader.read(bootstrap, "td-metrics",
            (int) steps(expected), Duration.ofSeconds(60)), expected);
        CrashRecoveryIT.assertServedModelsEqual(service, expected);
        final List<String> poisons = new ArrayList<>();
        for (final ConsumerRecord<byte[], byte[]> r : TopicReader.read(bootstrap, "td-dead",
            Integer.MAX_VALUE, Duration.ofSeconds(5))) {
          if (r.value() != null && r.value().length > 4096) {
            poisons.add(new String(r.key(), StandardCharsets.UTF_8) + " "
                + new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(),
                    StandardCharsets.UTF_8));
          }
        }
        assertThat(poisons).as("each poison dead-lettered once")
            .containsExactlyInAnyOrder("first undecodable", "second undecodable");
        assertThat(metric(service, FAILED)).isZero();
      }
    }
  }

  /** An unreadable event of 5 KB: its dead letter is larger than the topic takes. */
  private static void sendPoison(final String bootstrap, final String key) throws Exception {
    final byte[] value = new byte[5000];
    Arrays.fill(value, (byte) 0x7f);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", bootstrap, "acks", "all"), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("td-in", key.getBytes(StandardCharsets.UTF_8), value))
          .get();
    }
  }

  /** The largest record {@code topic} takes: what makes writing a dead letter fail, or not. */
  static void limitMessageBytes(final Admin admin, final String topic, final int bytes)
      throws Exception {
    admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
        List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
            Integer.toString(bytes)), AlterConfigOp.OpType.SET)))).all().get();
  }

  private static Map<String, Model> replay(final List<EventRow> rows) throws Exception {
    final Replay replay = new Replay(SPEC);
    replay.train(new StringReader(EventRow.jsonLines(rows)), (line, reason, detail) -> { });
    return replay.models();
  }

  private static long steps(final Map<String, Model> models) {
    return models.values().stream().mapToLong(Model::count).sum();
  }

  private static int metric(final ServiceProcess service, final Pattern pattern)
      throws Exception {
    final Matcher m = pattern.matcher(service.get("/metrics"));
    assertThat(m.find()).as(pattern.pattern()).isTrue();
    return (int) Double.parseDouble(m.group(1));
  }

  private static void awaitMetric(final ServiceProcess service, final Pattern pattern,
      final int atLeast, final Duration limit) throws Exception {
    final long deadline = System.nanoTime() + limit.toNanos();
    while (metric(service, pattern) < atLeast) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(pattern.pattern() + " stayed below " + atLeast + ":\n"
            + service.output());
      }
      Thread.sleep(50);
    }
  }
}
