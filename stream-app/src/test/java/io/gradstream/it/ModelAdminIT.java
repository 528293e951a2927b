package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.avro.AvroSafety;
import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.learn.Activation;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.EventRow;
import io.gradstream.replay.Replay;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators' resets and deletes through a real broker and through a crash: sent over HTTP as
 * control records, applied by the stream in order with each key's events exactly once, the
 * models equal to replay of the same events and control records.
 */
class ModelAdminIT {
  private static final String TOKEN = "a-long-random-admin-token";
  private static final Map<String, String> ENV = Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000",
      "GRADSTREAM_ADMIN_TOKEN", TOKEN);
  private static final ModelSpec SPEC = new ModelSpec(2, true, Activation.TANH, 0.05, null, 0.0);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  /** The replay file: every event and control record, in the order each key got them. */
  private final StringBuilder file = new StringBuilder();

  private void send(final String bootstrap, final List<EventRow> rows) {
    EventProducer.send(bootstrap, "events", rows, 0, false);
    file.append(EventRow.jsonLines(rows));
  }

  private void control(final int port, final String method, final String path, final String key,
      final String action) throws Exception {
    final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(
            "http://localhost:" + port + path)).header("Authorization", "Bearer " + TOKEN)
        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(r.body()).contains("\"topic\":\"events\"");
    file.append("{\"key\": \"").append(key).append("\", \"control\": \"").append(action)
        .append("\"}\n");
  }

  @Test
  void resetsAndDeletesThroughACrashEqualReplayOfTheSameRecords() throws Exception {
    AvroSafety.install();
    final List<EventRow> rows = EventRow.random(new Random(17), 900, 2, 4);
    try (KafkaTestCluster kafka = KafkaTestCluster.start(1)) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("events", 3, (short) 1))).all().get();
      }
      final int port = EmbeddedKafka.freePort();
      final Path log = dir.resolve("service.log");
      final String[] args = {"run", "--bootstrap-servers", kafka.bootstrapServers(),
          "--application-id", "admin-test", "--input-topic", "events", "--metrics-topic",
          "metrics", "--dlq-topic", "dead", "--predictions-topic", "predictions", "--state-dir",
          Files.createDirectory(dir.resolve("state")).toString(), "--features", "2", "--bias",
          "--activation", "tanh", "--learning-rate", "0.05", "--admin-api", "--quiet"};
      ServiceProcess service = ServiceProcess.start(log, ENV, port, args);
      service.awaitReady(Duration.ofSeconds(90));

      send(kafka.bootstrapServers(), rows.subList(0, 300));
      control(port, "POST", "/models/model-0/reset", "model-0", "reset");
      control(port, "DELETE", "/models/model-1", "model-1", "delete");
      send(kafka.bootstrapServers(), rows.subList(300, 600));
      control(port, "POST", "/models/model-2/reset", "model-2", "reset");
      service.kill(); // SIGKILL: what was not committed is processed again after the restart
      service = ServiceProcess.start(log, ENV, port, args);
      service.awaitReady(Duration.ofSeconds(90));
      control(port, "DELETE", "/models/model-3", "model-3", "delete");
      send(kafka.bootstrapServers(), rows.subList(600, 900));
      control(port, "POST", "/models/model-1/reset", "model-1", "reset");

      // judged as run judges by default: each model's evaluation restarts with a reset too
      final Replay replay = new Replay(SPEC, EventRules.of(LabelTtl.defaults())
          .judging(EvaluationSpec.defaults()));
      replay.train(new StringReader(file.toString()), (line, reason, detail) -> { });
      final Map<String, String> expected = new TreeMap<>();
      replay.models().forEach((key, model) -> expected.put(key, ModelJson.of(model).toString()));
      assertThat(expected).containsOnlyKeys("model-0", "model-1", "model-2", "model-3");
      assertThat(replay.models().get("model-1").count()).as("reset last: a fresh model").isZero();

      Map<String, String> served = Map.of();
      final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!served.equals(expected) && System.nanoTime() < deadline) {
        Thread.sleep(500);
        served = new TreeMap<>();
        for (final String key : expected.keySet()) {
          if (service.status("/models/" + key) == 200) {
            served.put(key, service.get("/models/" + key));
          }
        }
      }
      assertThat(served).as(Files.readString(log)).isEqualTo(expected);
      service.terminate(Duration.ofSeconds(30));
    }
  }
}
