package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.avro.AvroSafety;
import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.replay.EventRow;
import io.gradstream.replay.Replay;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances with a standby replica each, on a three-broker cluster (replication 3,
 * min.insync.replicas 2), input in four partitions. Each instance answers {@code /models/{key}}
 * for every key, its own from its store and the other's by asking it. Then one instance is killed
 * with SIGKILL while events flow; the other takes over every task and the result stays exact.
 */
class ScaleOutIT {
  private static final int FEATURES = 2;
  private static final int KEYS = 20;
  private static final ModelSpec SPEC = new ModelSpec(FEATURES, true, Activation.SIGMOID, 0.1,
      null, 0.0);

  @TempDir
  Path dir;

  @Test
  void eitherInstanceAnswersForEveryKeyAndOneTakesOverWhenTheOtherIsKilled() throws Exception {
    AvroSafety.install();
    final List<EventRow> rows = EventRow.random(new Random(17), 40_000, FEATURES, KEYS);
    final List<EventRow> firstHalf = rows.subList(0, rows.size() / 2);

    try (KafkaTestCluster kafka = KafkaTestCluster.start(3)) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("events", 4, (short) 3))).all().get();
      }
      final ServiceProcess a = start(kafka, "a");
      final ServiceProcess b = start(kafka, "b");
      try (a; b) {
        a.awaitReady(Duration.ofSeconds(90));
        b.awaitReady(Duration.ofSeconds(90));

        EventProducer.send(kafka.bootstrapServers(), "events", firstHalf, 0, false);
        final long validFirst = firstHalf.stream().filter(r -> r.valid(FEATURES)).count();
        TopicReader.read(kafka.bootstrapServers(), "metrics", (int) validFirst,
            Duration.ofSeconds(120));
        final Replay replayFirst = replay(firstHalf);
        // each instance holds some partitions' models and fetches the others'
        assertThat(new ObjectMapper().readTree(a.get("/models?scope=local")).size())
            .isBetween(1, KEYS - 1);
        for (final ServiceProcess instance : List.of(a, b)) {
          assertThat(new ObjectMapper().readTree(instance.get("/models")).size()).isEqualTo(KEYS);
          CrashRecoveryIT.assertServedModelsEqual(instance, replayFirst.models());
          // predictions from every model on every instance: y = 1 / (1 + e^−(w·x + b))
          for (final Map.Entry<String, Model> e : replayFirst.models().entrySet()) {
            final Model m = e.getValue();
            final JsonNode answer = new ObjectMapper().readTree(instance.post("/models/"
                + e.getKey() + "/predict", "{\"x\": [0.5, -2]}"));
            final double net = m.weights()[0] * 0.5 - 2 * m.weights()[1] + m.bias();
            assertThat(answer.get("y").asDouble()).as(e.getKey())
                .isCloseTo(1 / (1 + Math.exp(-net)), within(1e-12));
            assertThat(answer.get("modelStep").asLong()).isEqualTo(m.count());
          }
        }

        final Thread producer = new Thread(() -> EventProducer.send(kafka.bootstrapServers(),
            "events", rows.subList(rows.size() / 2, rows.size()), 2_000, false));
        producer.start();
        Thread.sleep(3000);
        a.kill();
        producer.join();
        final long valid = rows.stream().filter(r -> r.valid(FEATURES)).count();
        CrashRecoveryIT.assertExactlyOneMetricPerValidEvent(TopicReader.read(
            kafka.bootstrapServers(), "metrics", (int) valid, Duration.ofSeconds(180)), rows,
            FEATURES);
        CrashRecoveryIT.assertServedModelsEqual(b, replay(rows).models());
        assertThat(new ObjectMapper().readTree(b.get("/models?scope=local")).size())
            .isEqualTo(KEYS);
      }
    }
  }

  private ServiceProcess start(final KafkaTestCluster kafka, final String name) throws Exception {
    final int port = EmbeddedKafka.freePort();
    final Map<String, String> env = Map.of("KAFKA_APPLICATION_SERVER", "localhost:" + port,
        "KAFKA_NUM_STANDBY_REPLICAS", "1", "KAFKA_REPLICATION_FACTOR", "3",
        "KAFKA_SESSION_TIMEOUT_MS", "6000");
    return ServiceProcess.start(dir.resolve(name + ".log"), env, port, "run",
        "--bootstrap-servers", kafka.bootstrapServers(), "--application-id", "scale-out",
        "--input-topic", "events", "--metrics-topic", "metrics", "--dlq-topic", "dead",
        "--state-dir", dir.resolve("state-" + name).toString(),
        "--features", "2", "--bias");
  }

  private static Replay replay(final List<EventRow> rows) throws Exception {
    final Replay replay = new Replay(SPEC);
    replay.train(new StringReader(EventRow.jsonLines(rows)), (line, reason, detail) -> { });
    return replay;
  }
}
