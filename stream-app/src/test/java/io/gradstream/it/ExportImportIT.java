package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.avro.AvroSafety;
import io.gradstream.cli.MainAccess;
import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.export.OnnxRuntimeRun;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.EventRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models an operator can move: every model of one application exported from its changelog,
 * imported into another through its input topic, gives identical models, optimizer state and
 * evaluation included (its totals, its drift detector's state, generation and drifts; its windows'
 * samples stay behind, so an imported model's windows start at its import), so that both go on
 * learning, and resetting at drifts, alike.
 */
class ExportImportIT {
  private static final Map<String, String> ENV = Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000");

  @TempDir
  Path dir;

  private String[] service(final String kafka, final String app, final String input) {
    return new String[] {"run", "--bootstrap-servers", kafka, "--application-id", app,
        "--input-topic", input, "--metrics-topic", app + "-metrics", "--dlq-topic",
        app + "-dead", "--predictions-topic", app + "-predictions", "--state-dir",
        dir.resolve(app).toString(), "--features", "2", "--bias", "--activation", "tanh",
        "--optimizer", "adam", "--learning-rate", "0.01", "--quiet", "--drifts-topic",
        app + "-drifts", "--drift", "page-hinkley", "--ph-threshold", "0.5", "--on-drift",
        "reset"};
  }

  /** The models of {@code keys} as the service answers, once it answers for all of them. */
  private static Map<String, String> models(final ServiceProcess service, final List<String> keys,
      final Map<String, String> until) throws Exception {
    Map<String, String> seen = Map.of();
    final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline && (seen.size() < keys.size()
        || (until != null && !seen.equals(until)))) {
      Thread.sleep(300);
      seen = new TreeMap<>();
      for (final String key : keys) {
        if (service.status("/models/" + key) == 200) {
          seen.put(key, withoutWindows(service.get("/models/" + key)));
        }
      }
    }
    return seen;
  }

  /** A model's JSON without its windows' metrics, which an imported model starts again. */
  private static String withoutWindows(final String json) throws Exception {
    final ObjectNode model = (ObjectNode) ModelJson.MAPPER.readTree(json);
    final ObjectNode evaluation = (ObjectNode) model.get("evaluation");
    assertThat(evaluation).as(json).isNotNull();
    evaluation.remove("window");
    ((ObjectNode) evaluation.get("served")).remove("window");
    return model.toString();
  }

  /** The models once they stop changing: the same answer twice, 1.5 s apart. */
  private static Map<String, String> settled(final ServiceProcess service,
      final List<String> keys) throws Exception {
    Map<String, String> before;
    Map<String, String> now = models(service, keys, null);
    do {
      before = now;
      Thread.sleep(1500);
      now = models(service, keys, null);
    } while (!now.equals(before));
    return now;
  }

  @Test
  void exportThenImportGivesIdenticalModelsThatGoOnLearningAlike() throws Exception {
    AvroSafety.install();
    final List<EventRow> rows = EventRow.random(new Random(23), 800, 2, 5);
    final List<String> keys = List.of("model-0", "model-1", "model-2", "model-3", "model-4");
    try (KafkaTestCluster kafka = KafkaTestCluster.start(1)) {
      final String bootstrap = kafka.bootstrapServers();
      final Path export = dir.resolve("models.jsonl");
      final Map<String, String> trained;
      try (ServiceProcess a = ServiceProcess.start(dir.resolve("a.log"), ENV,
          EmbeddedKafka.freePort(), service(bootstrap, "app-a", "in-a"))) {
        a.awaitReady(Duration.ofSeconds(90));
        EventProducer.send(bootstrap, "in-a", rows.subList(0, 600), 0, false);
        trained = settled(a, keys);
        assertThat(trained).hasSize(5);

        final MainAccess.Result exported = MainAccess.execute(Map.of(), "export",
            "--bootstrap-servers", bootstrap, "--application-id", "app-a", "-o",
            export.toString());
        assertThat(exported.code()).as(exported.err()).isZero();
        assertThat(exported.err()).contains("export: 5 models of application app-a");
        assertThat(Files.readAllLines(export)).hasSize(5).allSatisfy(line -> assertThat(line)
            .contains("\"optimizerState\":[").contains("\"optimizer\":\"adam\"")
            .contains("\"evaluationState\":{\"window\":1000,")
            .contains("\"detector\":\"page-hinkley\""));

        assertOnnxPredictsAsTheService(bootstrap, a, keys);

        try (ServiceProcess b = ServiceProcess.start(dir.resolve("b.log"), ENV,
            EmbeddedKafka.freePort(), service(bootstrap, "app-b", "in-b"))) {
          b.awaitReady(Duration.ofSeconds(90));
          final MainAccess.Result imported = MainAccess.execute(Map.of(), "import",
              "--bootstrap-servers", bootstrap, "--input-topic", "in-b", export.toString());
          assertThat(imported.code()).as(imported.err()).isZero();
          assertThat(models(b, keys, trained)).isEqualTo(trained);

          // the same events to both: the optimizer state came along, so they stay equal
          EventProducer.send(bootstrap, "in-a", rows.subList(600, 800), 0, false);
          EventProducer.send(bootstrap, "in-b", rows.subList(600, 800), 0, false);
          final Map<String, String> onA = settled(a, keys);
          assertThat(models(b, keys, onA)).isEqualTo(onA).isNotEqualTo(trained);
        }
      }
    }
  }

  /**
   * The same committed models exported as ONNX, every key into a directory and one key into a
   * file, compute in ONNX Runtime what the service answers to {@code POST /models/{key}/predict}.
   */
  private void assertOnnxPredictsAsTheService(final String bootstrap, final ServiceProcess service,
      final List<String> keys) throws Exception {
    final Path onnxDir = dir.resolve("onnx");
    final MainAccess.Result all = MainAccess.execute(Map.of(), "export", "--bootstrap-servers",
        bootstrap, "--application-id", "app-a", "--format", "onnx", "-o", onnxDir.toString());
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(all.err()).contains("export: 5 models of application app-a as ONNX to " + onnxDir);
    final Path one = dir.resolve("model-3.onnx");
    final MainAccess.Result single = MainAccess.execute(Map.of(), "export",
        "--bootstrap-servers", bootstrap, "--application-id", "app-a", "--format", "onnx",
        "--key", "model-3", "-o", one.toString());
    assertThat(single.code()).as(single.err()).isZero();
    assertThat(Files.readAllBytes(one)).isEqualTo(Files.readAllBytes(onnxDir.resolve(
        "model-3.onnx")));
    final double[][] xs = {{0.5, -1.0}, {2.0, 0.25}, {-3.0, 1.5}};
    for (final String key : keys) {
      final JsonNode answer = ModelJson.MAPPER.readTree(service.post("/models/" + key
          + "/predict", "{\"instances\": [[0.5, -1.0], [2.0, 0.25], [-3.0, 1.5]]}"));
      final double[][] y = (double[][]) OnnxRuntimeRun.outputs(Files.readAllBytes(
          onnxDir.resolve(key + ".onnx")), xs).get("y");
      for (int r = 0; r < xs.length; r++) {
        assertThat(y[r][0]).as("%s row %d", key, r).isCloseTo(
            answer.path("predictions").get(r).asDouble(), Offset.offset(1e-12));
      }
    }
  }
}
