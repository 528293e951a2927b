package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.avro.Prediction;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.config.ServiceSettings;
import io.gradstream.it.SharedBroker;
import io.gradstream.it.TopicReader;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelAssert;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.optim.LrSchedule;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.EventRow;
import io.gradstream.replay.FaultyFile;
import io.gradstream.replay.Replay;
import io.gradstream.service.ServiceRunner;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import io.gradstream.stream.DeadLetterHeaders;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real broker: events fed from a file (or sent as JSON by a plain Kafka producer)
 * are trained by the service, and every model it serves over HTTP equals {@code replay} of the
 * same events, bit for bit; the metrics topic holds exactly one record per valid event and the
 * dead-letter topic the invalid ones.
 */
class FeedToModelsIT {
  static final int FEATURES = 3;
  static final int KEYS = 6;
  static final ModelSpec SPEC = new ModelSpec(FEATURES, true, Activation.TANH, 0.05,
      new double[] {0.1, 0, -0.1}, 0.0);
  @RegisterExtension
  static final SharedBroker kafka = new SharedBroker();

  @TempDir
  Path dir;

  @Test
  void fedFileTrainsModelsEqualToReplayWithOneMetricPerValidEvent() throws Exception {
    final List<EventRow> rows = EventRow.random(new Random(7), 3000, FEATURES, KEYS);
    final Path file = dir.resolve("events.csv");
    Files.writeString(file, EventRow.csv(rows, FEATURES + 1));
    final TopicNames topics = new TopicNames("avro-events", "avro-metrics", "avro-dlq");

    try (ServiceRunner service = startService("avro-app", topics, InputFormat.AVRO)) {
      final String feedErr = feed(file, topics);
      final long skipped = rows.stream().filter(r -> r.kind() == EventRow.Kind.GARBAGE).count();
      assertThat(feedErr).contains("skipped " + skipped + " rows");

      final Replay replay = replay(file);
      final List<EventRow> valid = rows.stream().filter(r -> r.valid(FEATURES)).toList();
      final List<ConsumerRecord<byte[], byte[]>> metrics = TopicReader.read(
          kafka.bootstrapServers(), topics.metrics(), valid.size(), Duration.ofSeconds(90));
      assertOneMetricPerValidEventWithStepsInOrder(metrics, valid);
      assertServedModelsEqual(service, replay.models());

      final List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(
          kafka.bootstrapServers(), topics.deadLetters(), (int) rows.stream()
              .filter(r -> r.invalid(FEATURES)).count() - (int) skipped, Duration.ofSeconds(30));
      final Map<String, Integer> reasons = new TreeMap<>();
      for (final ConsumerRecord<byte[], byte[]> r : dead) {
        reasons.merge(new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(),
            StandardCharsets.UTF_8), 1, Integer::sum);
      }
      final Map<String, Integer> expected = new TreeMap<>();
      for (final EventRow r : rows) {
        switch (r.kind()) {
          case WRONG_COUNT -> expected.merge("wrong-feature-count", 1, Integer::sum);
          case NAN_FEATURE -> expected.merge("non-finite-feature", 1, Integer::sum);
          case INFINITE_LABEL -> expected.merge("non-finite-label", 1, Integer::sum);
          default -> { }
        }
      }
      assertThat(reasons).isEqualTo(expected);
    }
  }

  @Test
  void aFileWithEveryKindOfBadRowTrainsTheModelsOfItsValidRowsAlone() throws Exception {
    final FaultyFile faulty = FaultyFile.random(new Random(5), 3000, 3);
    final Path file = dir.resolve("faulty.csv");
    Files.writeString(file, faulty.mixed());
    final TopicNames topics = new TopicNames("faulty-events", "faulty-metrics", "faulty-dlq");

    try (ServiceRunner service = startService("faulty-app", topics, InputFormat.AVRO)) {
      final String feedErr = feed(file, topics);
      assertThat(feedErr).contains("skipped " + faulty.skippedByFeed() + " rows");

      final Replay validOnly = new Replay(SPEC);
      validOnly.train(new StringReader(faulty.validOnly()), (line, reason, detail) -> { });
      assertThat(validOnly.invalid()).isZero();
      assertThat(TopicReader.read(kafka.bootstrapServers(), topics.metrics(), 3000,
          Duration.ofSeconds(90))).hasSize(3000);
      assertServedModelsEqual(service, validOnly.models());
      assertThat(TopicReader.read(kafka.bootstrapServers(), topics.deadLetters(),
          faulty.badRows() - faulty.skippedByFeed(), Duration.ofSeconds(30)))
          .hasSize(faulty.badRows() - faulty.skippedByFeed());
    }
  }

  /**
   * Every optimizer with every loss, through a real broker and back: 24 services, each its own
   * application, read one fed topic, and each serves the models {@code replay} computes under its
   * settings, bit for bit (half of them clipped on the invscaling schedule, the other half with
   * weight decay, or L1 and L2 for FTRL).
   */
  @Test
  void everyOptimizerWithEveryLossTrainsTheSameModelsThroughKafkaAsReplay() throws Exception {
    final List<EventRow> rows = EventRow.random(new Random(13), 600, FEATURES, KEYS);
    final Path file = dir.resolve("events.csv");
    Files.writeString(file, EventRow.csv(rows, FEATURES + 1));
    final String input = "matrix-events";
    final Map<String, ModelSpec> specs = new TreeMap<>();
    int variant = 0;
    for (final String optimizer : OptimizerKind.optionNames()) {
      for (final String lossName : List.of("squared", "logistic", "huber")) {
        final boolean scheduled = variant++ % 2 == 0;
        final boolean ftrl = optimizer.equals("ftrl");
        final Double penalty = scheduled ? null : 0.01;
        final Loss loss = Loss.of(lossName, 0.5);
        specs.put(optimizer + "-" + lossName, new ModelSpec(FEATURES, true,
            loss == Loss.LOGISTIC ? Activation.SIGMOID : Activation.TANH, ftrl ? 0.5 : 0.05, null,
            0.0, loss, new OptimizerSettings(OptimizerKind.named(optimizer), null, null, null,
                null, null, ftrl ? null : penalty, null, ftrl ? penalty : null,
                ftrl ? penalty : null,
                scheduled && !ftrl ? LrSchedule.INVSCALING : LrSchedule.CONSTANT, null,
                scheduled ? 2.0 : 0)));
      }
    }
    final Map<String, ServiceRunner> services = new TreeMap<>();
    try {
      for (final Map.Entry<String, ModelSpec> e : specs.entrySet()) {
        services.put(e.getKey(), startService(e.getKey() + "-app", new TopicNames(input,
            e.getKey() + "-metrics", e.getKey() + "-dlq"), InputFormat.AVRO, e.getValue()));
      }
      feed(file, new TopicNames(input, "unused-metrics", "unused-dlq"));
      // read in parallel: each read waits two seconds after its last record for any duplicate
      final ExecutorService readers = Executors.newFixedThreadPool(specs.size());
      try {
        final List<Future<?>> checks = new ArrayList<>();
        for (final Map.Entry<String, ModelSpec> e : specs.entrySet()) {
          checks.add(readers.submit(() -> {
            final Replay replay = new Replay(e.getValue());
            replay.train(new StringReader(Files.readString(file)), (line, reason, detail) -> { });
            final int trained = (int) (rows.size() - replay.invalid() - replay.predicted());
            assertThat(TopicReader.read(kafka.bootstrapServers(), e.getKey() + "-metrics",
                trained, Duration.ofSeconds(90))).as(e.getKey()).hasSize(trained);
            assertServedModelsEqual(services.get(e.getKey()), replay.models());
            return null;
          }));
        }
        for (final Future<?> check : checks) {
          check.get();
        }
      } finally {
        readers.shutdownNow();
      }
    } finally {
      services.values().parallelStream().forEach(ServiceRunner::close);
    }
  }

  /**
   * A file that trains, predicts and labels, fed through a real broker: the predictions topic
   * holds exactly what {@code replay --predictions} writes (per key, in order, y bit for bit),
   * and the served models equal replay's.
   */
  @Test
  void predictionsAndLabelsThroughKafkaEqualReplayBitForBit() throws Exception {
    final List<EventRow> rows = EventRow.mixed(new Random(17), 3000, FEATURES, KEYS);
    final Path file = dir.resolve("mixed.csv");
    Files.writeString(file, EventRow.csv(rows, FEATURES));
    final Path predictionsFile = dir.resolve("predictions.jsonl");
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final String[] modelFlags = {"--features", "3", "--bias", "--activation", "tanh",
        "--learning-rate", "0.05", "--init-weights", "0.1,0,-0.1", "--label-ttl", "3s"};
    final List<String> replayArgs = new ArrayList<>(List.of("replay", file.toString(),
        "--predictions", predictionsFile.toString()));
    replayArgs.addAll(List.of(modelFlags));
    assertThat(Main.execute(replayArgs.toArray(String[]::new), Map.of(), new PrintWriter(out),
        new PrintWriter(err, true))).as(err.toString()).isZero();
    final ObjectMapper json = new ObjectMapper();
    final Map<String, List<String>> offline = new TreeMap<>();
    for (final String line : Files.readAllLines(predictionsFile)) {
      final JsonNode p = json.readTree(line);
      offline.computeIfAbsent(p.get("key").asText(), k -> new ArrayList<>()).add(served(
          p.get("id").isNull() ? null : p.get("id").asText(), p.get("y").asDouble(),
          p.get("modelStep").asLong()));
    }
    final int predictions = offline.values().stream().mapToInt(List::size).sum();
    assertThat(predictions).isGreaterThan(800);
    assertThat(err.toString()).contains("label-too-late").contains("unknown-prediction");

    final TopicNames topics = new TopicNames("mixed-events", "mixed-metrics", "mixed-dlq",
        "mixed-predictions");
    try (ServiceRunner service = startService("mixed-app", topics, InputFormat.AVRO, SPEC,
        new LabelTtl(Duration.ofSeconds(3), Duration.ofHours(1)))) {
      feed(file, topics);
      final Map<String, List<String>> online = new TreeMap<>();
      for (final ConsumerRecord<byte[], byte[]> r : TopicReader.read(kafka.bootstrapServers(),
          topics.predictions(), predictions, Duration.ofSeconds(90))) {
        final Prediction p = ReleasedSchemas.predictions().decode(r.value());
        online.computeIfAbsent(p.getModelKey(), k -> new ArrayList<>()).add(served(p.getId(),
            p.getY(), p.getModelStep()));
      }
      assertThat(online).isEqualTo(offline);
      final Map<String, Model> replayed = new TreeMap<>();
      json.readTree(out.toString()).get("models").fields().forEachRemaining(e ->
          replayed.put(e.getKey(), ModelJson.parse(e.getValue())));
      assertServedModelsEqual(service, replayed);
    }
  }

  /** One prediction as text, y by its bits. */
  private static String served(final String id, final double y, final long modelStep) {
    return id + " " + Long.toHexString(Double.doubleToRawLongBits(y)) + " @" + modelStep;
  }

  @Test
  void jsonFromAPlainProducerTrainsTheSameModelsAsReplay() throws Exception {
    final List<EventRow> rows = EventRow.random(new Random(11), 1500, FEATURES, KEYS);
    final Path file = dir.resolve("events.jsonl");
    Files.writeString(file, EventRow.jsonLines(rows));
    final TopicNames topics = new TopicNames("json-events", "json-metrics", "json-dlq");

    try (ServiceRunner service = startService("json-app", topics, InputFormat.JSON)) {
      final Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(props,
          new StringSerializer(), new StringSerializer())) {
        for (final EventRow row : rows) {
          producer.send(new ProducerRecord<>(topics.input(), row.key(),
              new String(row.json(), StandardCharsets.UTF_8)));
        }
      }
      final List<EventRow> valid = rows.stream().filter(r -> r.valid(FEATURES)).toList();
      final List<ConsumerRecord<byte[], byte[]>> metrics = TopicReader.read(
          kafka.bootstrapServers(), topics.metrics(), valid.size(), Duration.ofSeconds(90));
      assertOneMetricPerValidEventWithStepsInOrder(metrics, valid);
      assertServedModelsEqual(service, replay(file).models());
    }
  }

  /** {@code gradstream feed FILE} onto the input topic; returns what it printed on stderr. */
  private static String feed(final Path file, final TopicNames topics) {
    final StringWriter err = new StringWriter();
    final int code = Main.execute(new String[] {"feed", file.toString(),
            "--bootstrap-servers", kafka.bootstrapServers(), "--input-topic", topics.input()},
        Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    return err.toString();
  }

  private ServiceRunner startService(final String appId, final TopicNames topics,
      final InputFormat format) throws Exception {
    return startService(appId, topics, format, SPEC);
  }

  private ServiceRunner startService(final String appId, final TopicNames topics,
      final InputFormat format, final ModelSpec spec) throws Exception {
    return startService(appId, topics, format, spec, LabelTtl.defaults());
  }

  private ServiceRunner startService(final String appId, final TopicNames topics,
      final InputFormat format, final ModelSpec spec, final LabelTtl labelTtl) throws Exception {
    final ServiceSettings settings = new ServiceSettings(kafka.bootstrapServers(), appId, topics,
        format, Files.createTempDirectory(dir, "state"), 0, 20, OnSettingsChange.REFUSE,
        Map.of("commit.interval.ms", "100"));
    return new ServiceRunner(
        settings, spec, EventRules.of(labelTtl), new PrintWriter(new StringWriter()), () -> {},
        null);
  }

  private static Replay replay(final Path file) throws Exception {
    final Replay replay = new Replay(SPEC);
    replay.train(new StringReader(Files.readString(file)), (line, reason, detail) -> { });
    return replay;
  }

  private static void assertOneMetricPerValidEventWithStepsInOrder(
      final List<ConsumerRecord<byte[], byte[]>> records, final List<EventRow> valid)
      throws Exception {
    assertThat(records).hasSize(valid.size());
    final Map<String, Long> expectedPerKey = new HashMap<>();
    valid.forEach(r -> expectedPerKey.merge(r.key(), 1L, Long::sum));
    final Map<String, List<Long>> steps = new HashMap<>();
    for (final ConsumerRecord<byte[], byte[]> r : records) {
      final TrainingMetric m = ReleasedSchemas.trainingMetrics().decode(r.value());
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(m.getModelKey());
      steps.computeIfAbsent(m.getModelKey(), k -> new ArrayList<>()).add(m.getStep());
    }
    assertThat(steps.keySet()).isEqualTo(expectedPerKey.keySet());
    steps.forEach((key, list) -> {
      final List<Long> oneToN = new ArrayList<>();
      for (long s = 1; s <= expectedPerKey.get(key); s++) {
        oneToN.add(s);
      }
      assertThat(list).as("steps of %s", key).isEqualTo(oneToN);
    });
  }

  private static String get(final HttpClient http, final ServiceRunner service, final String path)
      throws Exception {
    final HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + service.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  /** /models lists every key, and GET /models/{key} serves each model bit for bit. */
  static void assertServedModelsEqual(final ServiceRunner service,
      final Map<String, Model> expected) throws Exception {
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(get(http, service, "/models"))).hasSize(expected.size());
    ModelAssert.assertAllBitIdentical(key -> Optional.of(ModelJson.parse(
        json.readTree(get(http, service, "/models/" + key)))), expected);
  }
}
