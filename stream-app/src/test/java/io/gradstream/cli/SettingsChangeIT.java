package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.config.ServiceSettings;
import io.gradstream.it.EventProducer;
import io.gradstream.it.SharedBroker;
import io.gradstream.it.TopicReader;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelAssert;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.Neuron;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.EventRow;
import io.gradstream.replay.Replay;
import io.gradstream.service.ServiceRunner;
import io.gradstream.step.EventRules;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.OnSettingsChange;
import io.gradstream.stream.TopicNames;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same application id restarted with other model settings, on a real broker: the service
 * refuses (exit code 2, one line naming the model and what differs, nothing trained), or resets or
 * keeps the stored models as the operator says.
 */
class SettingsChangeIT {
  private static final ModelSpec TANH = new ModelSpec(2, true, Activation.TANH, 0.1, null, 0.0);
  private static final ModelSpec SIGMOID = new ModelSpec(2, true, Activation.SIGMOID, 0.1, null,
      0.0);
  private static final ModelSpec THREE = new ModelSpec(3, false, Activation.TANH, 0.1, null, 0.0);
  private static final TopicNames TOPICS = new TopicNames("s-events", "s-metrics", "s-dlq");
  private static final String APP = "settings-app";
  @RegisterExtension
  static final SharedBroker kafka = new SharedBroker();

  @TempDir
  Path dir;

  @Test
  void aSettingsChangeIsRefusedThenKeptOrResetAsTheOperatorSays() throws Exception {
    final Path state = Files.createDirectory(dir.resolve("state"));
    final List<EventRow> first = rows(new Random(1), 200, 2);
    try (ServiceRunner service = start(state, TANH, OnSettingsChange.REFUSE, null)) {
      EventProducer.send(kafka.bootstrapServers(), TOPICS.input(), first, 0, false);
      assertThat(metrics(200)).hasSize(200);
    }

    // sigmoid over tanh's models: refused before the start, one line, exit code 2
    final MainAccess.Result refused = MainAccess.execute(Map.of(), "run",
        "--bootstrap-servers", kafka.bootstrapServers(), "--application-id", APP,
        "--input-topic", TOPICS.input(), "--metrics-topic", TOPICS.metrics(),
        "--dlq-topic", TOPICS.deadLetters(), "--state-dir", state.toString(), "--http-port", "0",
        "--features", "2", "--bias", "--activation", "tanh", "--learning-rate", "0.2");
    assertThat(refused.code()).isEqualTo(Main.USAGE);
    // the last model written to the changelog is k0's or k1's, whichever the last commit wrote last
    assertThat(refused.err().strip().lines().toList()).last().asString()
        .matches("gradstream run: the stored model 'k[01]' \\(100 steps\\) differs from the "
            + "running settings: learning-rate 0\\.1 → 0\\.2; start with the settings it was "
            + "trained with, or choose --on-settings-change reset .*");

    // keep: k1's next event steps its stored weights under sigmoid, and its count goes on
    final EventRow forK1 = new EventRow("k1", new double[] {1, 1}, 0.5, EventRow.Kind.VALID);
    try (ServiceRunner service = start(state, SIGMOID, OnSettingsChange.KEEP, null)) {
      EventProducer.send(kafka.bootstrapServers(), TOPICS.input(), List.of(forK1), 0, false);
      assertThat(lastStep(decode(metrics(201)), "k1")).isEqualTo(101);
    }

    // the last stored model (k1) fits sigmoid now, so the service starts; k0 does not, and its
    // next event stops the service, with nothing trained
    final EventRow forK0 = new EventRow("k0", new double[] {0.5, -1.5}, 0.25, EventRow.Kind.VALID);
    final CountDownLatch stopped = new CountDownLatch(1);
    final StringWriter log = new StringWriter();
    try (ServiceRunner service = start(state, SIGMOID, OnSettingsChange.REFUSE,
        stopped::countDown)) {
      EventProducer.send(kafka.bootstrapServers(), TOPICS.input(), List.of(forK0), 0, false);
      assertThat(stopped.await(60, TimeUnit.SECONDS)).as("the service stops").isTrue();
      assertThat(service.exitCode(new PrintWriter(log, true), "run")).isEqualTo(Main.USAGE);
    }
    assertThat(log.toString().strip()).isEqualTo("gradstream run: the stored model 'k0' (100 "
        + "steps) differs from the running settings: activation tanh → sigmoid; start with the "
        + "settings it was trained with, or choose --on-settings-change reset (start such models "
        + "again) or keep (step them under the new settings)");
    assertThat(metrics(201)).as("nothing trained under the refused settings").hasSize(201);

    // keep again: k0's event, not committed before, steps k0's tanh weights under sigmoid
    final Replay tanh = new Replay(TANH);
    tanh.train(new StringReader(EventRow.csv(first, 2)), (line, reason, detail) -> { });
    final Model expected = tanh.models().get("k0");
    assertThat(new Neuron(SIGMOID).learn(expected, forK0.x(), forK0.d(), new StepResult()))
        .isEqualTo(Verdict.TRAINED);
    try (ServiceRunner service = start(state, SIGMOID, OnSettingsChange.KEEP, null)) {
      assertThat(lastStep(decode(metrics(202)), "k0")).isEqualTo(expected.count());
      ModelAssert.assertBitIdentical("k0 kept", served(service, "k0", expected.count()), expected);
    }

    // reset: three features and no bias; k1 starts again from the running start
    final EventRow wide = new EventRow("k1", new double[] {1, 2, 3}, 0.5, EventRow.Kind.VALID);
    try (ServiceRunner service = start(state, THREE, OnSettingsChange.RESET, null)) {
      EventProducer.send(kafka.bootstrapServers(), TOPICS.input(), List.of(wide), 0, false);
      final List<TrainingMetric> after = decode(metrics(203));
      assertThat(after).hasSize(203);
      final TrainingMetric reset = after.stream().filter(m -> m.getWeights().size() == 3)
          .findFirst().orElseThrow();
      assertThat(reset.getModelKey()).isEqualTo("k1");
      assertThat(reset.getStep()).as("steps count from 1 again").isEqualTo(1);
      final Model fresh = new Neuron(THREE).newModel();
      new Neuron(THREE).learn(fresh, wide.x(), wide.d(), new StepResult());
      ModelAssert.assertBitIdentical("k1 reset", served(service, "k1", 1), fresh);
    }
  }

  private ServiceRunner start(final Path state, final ModelSpec spec,
      final OnSettingsChange policy, final Runnable onFailure) throws Exception {
    final ServiceSettings settings = new ServiceSettings(kafka.bootstrapServers(), APP,
        TOPICS, InputFormat.AVRO, state, 0, 20, policy, Map.of("commit.interval.ms", "100"));
    return new ServiceRunner(settings, spec, EventRules.defaults(),
        new PrintWriter(new StringWriter()), onFailure == null ? () -> { } : onFailure, null);
  }

  private static List<EventRow> rows(final Random random, final int count, final int n) {
    final List<EventRow> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      final double[] x = new double[n];
      for (int j = 0; j < n; j++) {
        x[j] = random.nextGaussian();
      }
      rows.add(new EventRow("k" + (i % 2), x, Math.tanh(x[0] - x[1]), EventRow.Kind.VALID));
    }
    return rows;
  }

  private static List<ConsumerRecord<byte[], byte[]>> metrics(final int expected) {
    return TopicReader.read(kafka.bootstrapServers(), TOPICS.metrics(), expected,
        Duration.ofSeconds(60));
  }

  private static List<TrainingMetric> decode(final List<ConsumerRecord<byte[], byte[]>> records)
      throws Exception {
    final List<TrainingMetric> out = new ArrayList<>();
    for (final ConsumerRecord<byte[], byte[]> r : records) {
      out.add(ReleasedSchemas.trainingMetrics().decode(r.value()));
    }
    return out;
  }

  private static long lastStep(final List<TrainingMetric> metrics, final String key) {
    return metrics.stream().filter(m -> m.getModelKey().equals(key))
        .mapToLong(TrainingMetric::getStep).max().orElseThrow();
  }

  /** The model as GET /models/{key} serves it once it has {@code count} steps (commits lag). */
  private static Model served(final ServiceRunner service, final String key, final long count)
      throws Exception {
    final HttpClient http = HttpClient.newHttpClient();
    final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Model model = null;
    while ((model == null || model.count() != count) && System.nanoTime() < deadline) {
      final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
          "http://localhost:" + service.httpPort() + "/models/" + key)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        model = ModelJson.parse(new ObjectMapper().readTree(r.body()));
      }
      Thread.sleep(100);
    }
    return model;
  }
}
