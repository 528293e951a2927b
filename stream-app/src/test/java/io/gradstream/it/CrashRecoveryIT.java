package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.avro.AvroSafety;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelAssert;
import io.gradstream.learn.Loss;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.local.EmbeddedKafka;
import io.gradstream.replay.EventRow;
import io.gradstream.replay.ModelJson;
import io.gradstream.replay.Replay;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once under crashes: the service runs as a process of its own while 200k events over 20
 * keys flow in; it is killed with SIGKILL at random moments three times, stopped with SIGTERM once,
 * and finally started on an empty state directory. Every model must then equal {@code replay} of
 * the same events bit for bit, and the metrics topic (read_committed) must hold exactly one record
 * per valid event, steps 1..n per key.
 */
public class CrashRecoveryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FEATURES = 2;
  private static final int KEYS = 20;
  private static final int EVENTS = 200_000;
  private static final int EVENTS_PER_SECOND = 4_000;
  /**
   * A killed member is only noticed when its session times out; Kafka's 45 s default would make
   * every restart wait that long, so the test uses the broker's minimum.
   */
  private static final Map<String, String> ENV = Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000");

  @TempDir
  Path dir;

  /**
   * Plain SGD, and Adam with clipping: its moments and step count are part of each model's state,
   * and a model restored without them would take other steps from there on.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"sgd, squared", "adam, squared", "ftrl, huber"})
  void killedRestartedAndWipedTheModelsEqualReplayAndEveryStepIsPublishedOnce(
      final String optimizer, final String loss) throws Exception {
    AvroSafety.install();
    final boolean adam = optimizer.equals("adam");
    final boolean ftrl = optimizer.equals("ftrl");
    final double rate = adam ? 0.01 : ftrl ? 0.5 : 0.05;
    // adam clips its gradients; ftrl keeps z and n per coordinate and zeroes weights with L1
    final ModelSpec spec = new ModelSpec(FEATURES, true, Activation.TANH, rate, null, 0.0,
        Loss.of(loss, 1.0), new OptimizerSettings(optimizer, null, null, null, null, null, null,
            null, ftrl ? 0.05 : null, null, "constant", null, adam ? 1.0 : 0));
    final List<EventRow> rows = EventRow.random(new Random(5), EVENTS, FEATURES, KEYS);
    final Replay replay = new Replay(spec);
    replay.train(new StringReader(EventRow.jsonLines(rows)), (line, reason, detail) -> { });
    final long valid = rows.stream().filter(r -> r.valid(FEATURES)).count();

    try (KafkaTestCluster kafka = KafkaTestCluster.start(1)) {
      createInputTopic(kafka.bootstrapServers(), 4);
      final Path stateDir = Files.createDirectory(dir.resolve("state"));
      final Path log = dir.resolve("service.log");
      final int httpPort = EmbeddedKafka.freePort();
      final List<String> flags = new ArrayList<>(List.of("run", "--bootstrap-servers",
          kafka.bootstrapServers(), "--application-id", "crash-test-" + optimizer,
          "--input-topic", "events", "--metrics-topic", "metrics", "--dlq-topic", "dead",
          "--state-dir", stateDir.toString(), "--features", "2", "--bias", "--activation", "tanh",
          "--learning-rate", Double.toString(spec.learningRate()), "--optimizer", optimizer,
          "--loss", loss));
      if (adam) {
        flags.addAll(List.of("--clip-norm", "1"));
      }
      if (ftrl) {
        flags.addAll(List.of("--l1", "0.05"));
      }
      final String[] args = flags.toArray(String[]::new);

      final Thread producer = new Thread(() -> EventProducer.send(kafka.bootstrapServers(),
          "events", rows, EVENTS_PER_SECOND, false));
      ServiceProcess service = ServiceProcess.start(log, ENV, httpPort, args);
      service.awaitReady(Duration.ofSeconds(90));
      producer.start();

      final Random chaos = new Random(99);
      for (int kill = 1; kill <= 3; kill++) {
        Thread.sleep(2000 + chaos.nextInt(3000));
        service.kill();
        System.out.printf("SIGKILL %d while %s%n", kill, producer.isAlive() ? "events flow in"
            : "catching up");
        service = ServiceProcess.start(log, ENV, httpPort, args);
        service.awaitReady(Duration.ofSeconds(90));
      }
      Thread.sleep(1000 + chaos.nextInt(2000));
      final Duration stop = service.terminate(Duration.ofSeconds(30));
      System.out.printf("SIGTERM stop took %d ms%n", stop.toMillis());
      service = ServiceProcess.start(log, ENV, httpPort, args);
      service.awaitReady(Duration.ofSeconds(90));
      producer.join();

      final List<ConsumerRecord<byte[], byte[]>> metrics = TopicReader.read(
          kafka.bootstrapServers(), "metrics", (int) valid, Duration.ofSeconds(180));
      assertExactlyOneMetricPerValidEvent(metrics, rows, FEATURES);
      assertServedModelsEqual(service, replay.models());

      // lost local state: an orderly stop, the state directory deleted, a start from nothing
      service.terminate(Duration.ofSeconds(30));
      EmbeddedKafka.deleteRecursively(stateDir);
      final long restoreStart = System.nanoTime();
      service = ServiceProcess.start(log, ENV, httpPort, args);
      service.awaitReady(Duration.ofSeconds(120));
      assertServedModelsEqual(service, replay.models());
      System.out.printf("restored %d models from the changelog in %d ms (process start to "
          + "ready and all models served)%n", replay.models().size(),
          (System.nanoTime() - restoreStart) / 1_000_000);
      service.close();
    }
  }

  private static void createInputTopic(final String bootstrap, final int partitions)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic("events", partitions, (short) 1))).all().get();
    }
  }

  /** Per key, steps 1..n in order, n the number of valid events: no gap and no repeat. */
  public static void assertExactlyOneMetricPerValidEvent(
      final List<ConsumerRecord<byte[], byte[]>> records, final List<EventRow> rows,
      final int features) throws Exception {
    final Map<String, Long> validPerKey = new HashMap<>();
    rows.stream().filter(r -> r.valid(features)).forEach(r -> validPerKey.merge(r.key(), 1L,
        Long::sum));
    final Map<String, List<Long>> steps = new HashMap<>();
    for (final ConsumerRecord<byte[], byte[]> r : records) {
      final TrainingMetric m = TrainingMetric.getDecoder().decode(r.value());
      steps.computeIfAbsent(m.getModelKey(), k -> new ArrayList<>()).add(m.getStep());
    }
    assertThat(steps.keySet()).isEqualTo(validPerKey.keySet());
    for (final Map.Entry<String, List<Long>> e : steps.entrySet()) {
      final List<Long> got = e.getValue();
      final long n = validPerKey.get(e.getKey());
      assertThat(got).as("%s: %d metrics for %d valid events", e.getKey(), got.size(), n)
          .hasSize((int) n);
      for (int i = 0; i < n; i++) {
        if (got.get(i) != i + 1) {
          throw new AssertionError(e.getKey() + ": step " + got.get(i) + " at position " + (i + 1));
        }
      }
    }
  }

  /** Every expected model, as GET /models/{key} of the service serves it, bit for bit. */
  /**
   * The served models equal {@code expected} within 10 s: /models serves each model as of the
   * last commit, which may lag the trained-events counter by one commit interval.
   */
  static void assertServedModelsEqual(final ServiceProcess service,
      final Map<String, Model> expected) throws Exception {
    final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        ModelAssert.assertAllBitIdentical(key -> Optional.of(ModelJson.parse(
            JSON.readTree(service.get("/models/" + key)))), expected);
        return;
      } catch (final AssertionError stillBehind) {
        if (System.nanoTime() > deadline) {
          throw stillBehind;
        }
        Thread.sleep(100);
      }
    }
  }
}
