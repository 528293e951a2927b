package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.Drift;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.cli.ReplayEvaluationTest;
import io.gradstream.demo.EmbeddedKafka;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Through a real broker, as a user runs it: the evaluation-reference streams (torch's samples,
 * sklearn's metrics, the README's drift detectors written again in Python) fed to {@code run}
 * give, at {@code GET /models/{key}}, each model's evaluation to 1e-9, its generation and its
 * drifts' steps; and each drift is one Drift record on the drifts topic.
 */
class EvaluationReferenceIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    AvroSafety.install();
  }

  @RegisterExtension
  static final SharedBroker kafka = new SharedBroker();

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void theServiceJudgesAsSklearnAndDetectsAsTheRules(final int index) throws Exception {
    final JsonNode reference;
    try (InputStream in = getClass().getResourceAsStream("/evaluation-reference.json")) {
      reference = JSON.readTree(in).get(index);
    }
    final String app = "evaluation-" + index;
    final List<String> args = kafka.runFlags(app, dir.resolve(app));
    final JsonNode flags = reference.path("args");
    for (int i = 0; i < flags.size(); i++) {
      if (flags.get(i).asText().equals("--progress-every")) {
        i++; // replay's own
      } else {
        args.add(flags.get(i).asText());
      }
    }
    try (ServiceProcess service = ServiceProcess.start(dir.resolve(app + ".log"), Map.of(),
        EmbeddedKafka.freePort(), args.toArray(String[]::new))) {
      service.awaitReady(Duration.ofSeconds(90));
      kafka.sendJsonLines(app + "-in", reference.path("events"));
      int drifts = 0;
      final Map<String, List<Long>> expectedDrifts = new HashMap<>();
      for (final Map.Entry<String, JsonNode> m : reference.path("models").properties()) {
        final JsonNode expected = m.getValue();
        final JsonNode served = service.awaitModel(m.getKey(), expected.path("count").asLong());
        assertThat(served.path("generation")).isEqualTo(expected.path("generation"));
        assertThat(served.path("drifts")).isEqualTo(expected.path("drifts"));
        ReplayEvaluationTest.assertClose(m.getKey(), served.path("evaluation"),
            expected.path("evaluation"));
        final List<Long> steps = new ArrayList<>();
        expected.path("drifts").forEach(s -> steps.add(s.asLong()));
        expectedDrifts.put(m.getKey(), steps);
        drifts += steps.size();
      }
      assertThat(drifts).isPositive();
      final Map<String, List<Long>> published = new HashMap<>();
      final List<ConsumerRecord<byte[], byte[]>> records = TopicReader.read(
          kafka.bootstrapServers(), app + "-drifts", drifts, Duration.ofSeconds(30));
      for (final ConsumerRecord<byte[], byte[]> r : records) {
        final Drift drift = ReleasedSchemas.drifts().decode(r.value());
        published.computeIfAbsent(drift.getModelKey(), k -> new ArrayList<>())
            .add(drift.getStep());
        assertThat(drift.getSourceTopic()).isEqualTo(app + "-in");
      }
      assertThat(published).isEqualTo(expectedDrifts);
    }
  }
}
