package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.Champion;
import io.gradstream.avro.Drift;
import io.gradstream.avro.Prediction;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.events.CsvExpectations;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Classes;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelAssert;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.LrSchedule;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.learn.race.RaceRule;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.EventRow;
import io.gradstream.replay.RaceReplay;
import io.gradstream.replay.Replay;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import io.gradstream.stream.DeadLetterHeaders;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
   * Plain SGD (Adam with clipping and scaling is raced below). A
   * network of 3 classes (two hidden layers, softmax, RMSprop) with predictions and labels: all its
   * parameters and their state go through the same store, and its predictions carry their
   * probabilities; its stores are in memory ({@code --store memory}), so every start restores all
   * of them from the changelogs. A hashed FTRL logistic model over named features (JSON, 2^18
   * coordinates, an interaction, scaled), with predictions and labels: its per-coordinate state,
   * its scaler by feature name and its pending predictions' features go through the store too.
   * The SGD models are judged over windows of 50 samples with Page-Hinkley resetting them at each
   * drift: their evaluation (totals, windows read back from the windows store, detector,
   * generation) equals replay's, and each drift is one record.
   */
  @ParameterizedTest(name = "{0} {1} {2} hidden={3} in {4}")
  @CsvSource({"sgd, squared, mixed, none, rocksdb", "ftrl, logistic, mixed, hashed, rocksdb",
      "rmsprop, cross-entropy, mixed, 8:4, memory"})
  void killedRestartedAndWipedTheModelsEqualReplayAndEveryStepIsPublishedOnce(
      final String optimizer, final String loss, final String events, final String hidden,
      final String store) throws Exception {
    final boolean hashed = hidden.equals("hashed");
    final boolean network = !hidden.equals("none") && !hashed;
    AvroSafety.install();
    final boolean adam = optimizer.equals("adam");
    final boolean ftrl = optimizer.equals("ftrl");
    final boolean mixed = events.equals("mixed");
    final boolean classes = loss.equals("cross-entropy");
    final EvaluationSpec judging = optimizer.equals("sgd") ? new EvaluationSpec(50,
        new DriftSettings("page-hinkley", 0.005, 0.5, 0.9999, 30, 30, 3.0, true)) : null;
    final double rate = adam ? 0.01 : ftrl ? 0.5 : 0.05;
    // adam clips its gradients; ftrl keeps z and n per coordinate and zeroes weights with L1
    final ModelSpec spec = new ModelSpec(hashed ? 1 << 18 : FEATURES, !network,
        hashed || classes ? Activation.SIGMOID : Activation.TANH, rate, null, 0.0,
        classes ? Loss.crossEntropy(Classes.numbered(3)) : Loss.of(loss, 1.0),
        new OptimizerSettings(OptimizerKind.named(optimizer), null, null,
            null, null, null, null, null, ftrl ? 0.05 : null, null, LrSchedule.CONSTANT, null,
            adam ? 1.0 : 0),
        network ? HiddenLayers.of(
            Arrays.stream(hidden.split(":")).mapToInt(Integer::parseInt).toArray(),
            Activation.TANH, 42L) : HiddenLayers.NONE,
        hashed ? new FeatureHashing(18, List.of(FeatureHashing.Interaction.parse("f0:sign")),
            FeatureHashing.DEFAULT_MAX_TERMS) : FeatureHashing.NONE,
        hashed || adam ? FeatureScaling.STANDARD : FeatureScaling.NONE);
    // mixed: predictions, and labels 0 to hundreds of events behind them (those more than 30
    // behind are too late), some for predictions that never were; no cleanup (a long grace), so
    // that replay and the stream keep the same pending predictions
    final List<EventRow> generated = mixed
        ? EventRow.mixed(new Random(5), EVENTS, FEATURES, KEYS)
        : EventRow.random(new Random(5), EVENTS, FEATURES, KEYS);
    final List<EventRow> rows = classes ? inClasses(generated) : generated;
    final LabelTtl labelTtl = new LabelTtl(Duration.ofSeconds(3), Duration.ofDays(30));
    // sent after the state is wiped: labels for the last pending predictions, which must have
    // been restored from the changelog to join, and labels again for labelled ones
    final List<EventRow> tail = !mixed ? List.of()
        : classes ? inClasses(lateLabels(rows)) : lateLabels(rows);
    final Replayed replay = replay(spec, labelTtl, judging, rows, hashed);
    final List<EventRow> all = new ArrayList<>(rows);
    all.addAll(tail);
    final Replayed replayAll = replay(spec, labelTtl, judging, all, hashed);

    try (KafkaTestCluster kafka = KafkaTestCluster.start(1)) {
      createInputTopic(kafka.bootstrapServers(), 4);
      final Path stateDir = Files.createDirectory(dir.resolve("state"));
      final Path log = dir.resolve("service.log");
      final int httpPort = EmbeddedKafka.freePort();
      final List<String> flags = new ArrayList<>(List.of("run", "--bootstrap-servers",
          kafka.bootstrapServers(), "--application-id", "crash-test-" + optimizer,
          "--input-topic", "events", "--metrics-topic", "metrics", "--dlq-topic", "dead",
          "--predictions-topic", "predictions", "--drifts-topic", "drifts",
          "--state-dir", stateDir.toString(), "--activation",
          hashed || classes ? "sigmoid" : "tanh",
          "--learning-rate", Double.toString(spec.learningRate()), "--optimizer", optimizer,
          "--loss", loss, "--label-ttl", "3s", "--label-grace", "30d", "--store", store));
      if (classes) {
        flags.addAll(List.of("--classes", "3"));
      }
      flags.addAll(hashed ? List.of("--hash-bits", "18", "--interactions", "f0:sign",
          "--input-format", "json") : List.of("--features", "2"));
      if (adam) {
        flags.addAll(List.of("--clip-norm", "1"));
      }
      if (hashed || adam) {
        flags.addAll(List.of("--scale", "standard"));
      }
      if (ftrl) {
        flags.addAll(List.of("--l1", "0.05"));
      }
      if (judging != null) {
        flags.addAll(List.of("--eval-window", "50", "--drift", "page-hinkley",
            "--ph-threshold", "0.5", "--on-drift", "reset"));
      }
      flags.addAll(network ? List.of("--hidden", hidden.replace(':', ',')) : List.of("--bias"));
      final String[] args = flags.toArray(String[]::new);

      final Function<EventRow, byte[]> value = hashed ? r -> r.json(true) : EventRow::avro;
      final Thread producer = new Thread(() -> EventProducer.send(kafka.bootstrapServers(),
          "events", rows, value, EVENTS_PER_SECOND, false));
      ServiceProcess service = throughChaos(log, httpPort, args, producer, new Random(99));

      assertExactlyOneMetricPerStep(TopicReader.read(kafka.bootstrapServers(), "metrics",
          (int) steps(replay), Duration.ofSeconds(180)), replay.models());
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
      if (mixed) {
        EventProducer.send(kafka.bootstrapServers(), "events", tail, value, 0, false);
        assertExactlyOneMetricPerStep(TopicReader.read(kafka.bootstrapServers(), "metrics",
            (int) steps(replayAll), Duration.ofSeconds(60)), replayAll.models());
        assertServedModelsEqual(service, replayAll.models());
        assertOnePredictionPerPredictEvent(kafka.bootstrapServers(), replayAll);
        assertEveryRefusalOnce(kafka.bootstrapServers(), replayAll);
      }
      if (judging != null) {
        assertServedEvaluationsEqual(service, replayAll.models());
        assertEveryDriftOnce(kafka.bootstrapServers(), replayAll.models());
      }
      service.close();
    }
  }

  /**
   * A race of SGD, momentum and Adam (clipped, scaled) on predictions and labels: each variant's
   * moments, step count, scaler and pending predictions, and the key's weighted losses and
   * champion, go through one stored value; after three SIGKILLs, a SIGTERM and a wiped state
   * directory every variant equals replay of it alone, each variant's steps are published once,
   * each change of champion is one record at replay's event, and each prediction is replay's
   * champion's, naming it.
   */
  @Test
  void aRaceKilledRestartedAndWipedEqualsReplayVariantByVariant() throws Exception {
    AvroSafety.install();
    final List<String> optimizers = List.of("sgd", "momentum", "adam");
    final List<String> names = optimizers.stream().map(o -> "optimizer=" + o).toList();
    final RaceRule rule = new RaceRule(50, 20);
    final LabelTtl labelTtl = new LabelTtl(Duration.ofSeconds(3), Duration.ofDays(30));
    // half the events of the other cases: the kills come within its first 15 s all the same
    final List<EventRow> rows = EventRow.mixed(new Random(6), EVENTS / 2, FEATURES, KEYS);
    final List<EventRow> all = new ArrayList<>(rows);
    final List<EventRow> tail = lateLabels(rows);
    all.addAll(tail);
    final RaceReplayed replay = raceReplay(optimizers, names, rule, labelTtl, rows);
    final RaceReplayed replayAll = raceReplay(optimizers, names, rule, labelTtl, all);

    try (KafkaTestCluster kafka = KafkaTestCluster.start(1)) {
      createInputTopic(kafka.bootstrapServers(), 4);
      final Path stateDir = Files.createDirectory(dir.resolve("state"));
      final Path log = dir.resolve("service.log");
      final int httpPort = EmbeddedKafka.freePort();
      final String[] args = {"run", "--bootstrap-servers", kafka.bootstrapServers(),
          "--application-id", "crash-test-race", "--input-topic", "events", "--metrics-topic",
          "metrics", "--dlq-topic", "dead", "--predictions-topic", "predictions",
          "--drifts-topic", "drifts", "--champions-topic", "champions", "--state-dir",
          stateDir.toString(), "--features", "2", "--bias", "--activation", "tanh",
          "--learning-rate", "0.01", "--clip-norm", "1", "--scale", "standard", "--loss",
          "squared", "--label-ttl", "3s", "--label-grace", "30d", "--race",
          "optimizer=" + String.join(",", optimizers), "--race-half-life", "50",
          "--race-warmup", "20"};
      final Thread producer = new Thread(() -> EventProducer.send(kafka.bootstrapServers(),
          "events", rows, EventRow::avro, EVENTS_PER_SECOND, false));
      ServiceProcess service = throughChaos(log, httpPort, args, producer, new Random(98));
      assertEachVariantsStepsOnce(kafka.bootstrapServers(), replay);
      assertServedRaceEqual(service, replay);

      service.terminate(Duration.ofSeconds(30));
      EmbeddedKafka.deleteRecursively(stateDir);
      service = ServiceProcess.start(log, ENV, httpPort, args);
      service.awaitReady(Duration.ofSeconds(120));
      assertServedRaceEqual(service, replay);
      EventProducer.send(kafka.bootstrapServers(), "events", tail, EventRow::avro, 0, false);
      assertEachVariantsStepsOnce(kafka.bootstrapServers(), replayAll);
      assertServedRaceEqual(service, replayAll);
      assertOnePredictionPerPredictEvent(kafka.bootstrapServers(), replayAll.served());
      assertEveryRefusalOnce(kafka.bootstrapServers(), replayAll.served());

      final Map<String, List<String>> changes = new TreeMap<>();
      final List<ConsumerRecord<byte[], byte[]>> records = TopicReader.read(
          kafka.bootstrapServers(), "champions", replayAll.changes(), Duration.ofSeconds(30));
      for (final ConsumerRecord<byte[], byte[]> r : records) {
        final Champion c = Champion.getDecoder().decode(r.value());
        changes.computeIfAbsent(c.getModelKey(), k -> new ArrayList<>()).add(c.getRaceEvent()
            + " " + c.getVariant());
      }
      assertThat(changes).isEqualTo(replayAll.championHistory());
      assertThat(replayAll.changes()).as("champions that change").isGreaterThan(KEYS);
      service.close();
    }
  }

  /**
   * The service started, {@code producer} started, then three SIGKILLs at random moments (each
   * followed by a start), a SIGTERM and a start; returns the service running once the producer
   * has sent everything.
   */
  private static ServiceProcess throughChaos(final Path log, final int httpPort,
      final String[] args, final Thread producer, final Random chaos) throws Exception {
    ServiceProcess service = ServiceProcess.start(log, ENV, httpPort, args);
    service.awaitReady(Duration.ofSeconds(90));
    producer.start();
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
    return service;
  }

  /** A race's replay: its variants' models, its predictions and refusals, its champions. */
  private record RaceReplayed(List<String> names, List<Map<String, Model>> variants,
      Replayed served, Map<String, List<String>> championHistory, Map<String, String> champion) {
    int changes() {
      return championHistory.values().stream().mapToInt(List::size).sum();
    }
  }

  private static RaceReplayed raceReplay(final List<String> optimizers, final List<String> names,
      final RaceRule rule, final LabelTtl ttl, final List<EventRow> rows) throws Exception {
    final List<Replay> replays = new ArrayList<>();
    for (final String optimizer : optimizers) {
      replays.add(new Replay(new ModelSpec(FEATURES, true, Activation.TANH, 0.01, null, 0.0,
          Loss.SQUARED, new OptimizerSettings(OptimizerKind.named(optimizer), null, null, null,
              null, null, null, null, null, null, LrSchedule.CONSTANT, null, 1.0),
          HiddenLayers.NONE, FeatureHashing.NONE, FeatureScaling.STANDARD), EventRules.of(ttl)));
    }
    final List<String[]> served = new ArrayList<>();
    final Map<String, Integer> reasons = new TreeMap<>();
    final RaceReplay race = new RaceReplay(names, replays, rule).predictionsTo(
        (variant, key, id, step, modelStep) -> served.add(new String[] {key, id + " "
            + Double.doubleToRawLongBits(step.y()) + " @" + modelStep + " " + variant}));
    race.train(new StringReader(EventRow.jsonLines(rows, false)), new CsvExpectations(
        CsvExpectations.DEFAULT_LABEL, false, FEATURES, false, Set.of(), false),
        (line, reason, detail) -> reasons.merge(reason, 1, Integer::sum));
    final Map<String, List<String>> history = new TreeMap<>();
    final Map<String, String> champion = new TreeMap<>();
    race.toJson().path("models").properties().forEach(e -> {
      e.getValue().path("championHistory").forEach(c -> history.computeIfAbsent(e.getKey(),
          k -> new ArrayList<>()).add(c.path("event").asLong() + " "
          + c.path("variant").asText()));
      champion.put(e.getKey(), e.getValue().path("champion").asText());
    });
    final Replay first = race.variant(0);
    return new RaceReplayed(names, replays.stream().map(Replay::models).toList(),
        new Replayed(first.models(), served, reasons, first.predicted(), first.invalid()),
        history, champion);
  }

  /** Per variant and key, steps 1..n in order, n the steps of the variant's replayed model. */
  private static void assertEachVariantsStepsOnce(final String bootstrap,
      final RaceReplayed replay) throws Exception {
    final long steps = replay.variants().stream().flatMap(m -> m.values().stream())
        .mapToLong(Model::count).sum();
    final List<ConsumerRecord<byte[], byte[]>> metrics = TopicReader.read(bootstrap, "metrics",
        (int) steps, Duration.ofSeconds(180));
    for (int v = 0; v < replay.names().size(); v++) {
      final String name = replay.names().get(v);
      final List<ConsumerRecord<byte[], byte[]>> ofVariant = new ArrayList<>();
      for (final ConsumerRecord<byte[], byte[]> r : metrics) {
        if (name.equals(ReleasedSchemas.trainingMetrics().decode(r.value()).getVariant())) {
          ofVariant.add(r);
        }
      }
      assertExactlyOneMetricPerStep(ofVariant, replay.variants().get(v));
    }
  }

  /** Within 10 s, every variant of every key as served equals its replay, and the champion. */
  private static void assertServedRaceEqual(final ServiceProcess service,
      final RaceReplayed replay) throws Exception {
    final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        for (int v = 0; v < replay.names().size(); v++) {
          final String name = replay.names().get(v);
          ModelAssert.assertAllBitIdentical(key -> Optional.of(ModelJson.parse(JSON.readTree(
              service.get("/models/" + key)).path("race").path("variants").path(name))),
              replay.variants().get(v));
        }
        for (final Map.Entry<String, String> e : replay.champion().entrySet()) {
          assertThat(JSON.readTree(service.get("/models/" + e.getKey())).path("variant")
              .asText()).as(e.getKey()).isEqualTo(e.getValue());
        }
        return;
      } catch (final AssertionError stillBehind) {
        if (System.nanoTime() > deadline) {
          throw stillBehind;
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * The rows with each finite label turned into one of 3 classes by where it lies (below −0.3,
   * up to 0.3, above): the teacher's targets as a class, as its labels (and the late ones) are.
   */
  private static List<EventRow> inClasses(final List<EventRow> rows) {
    final List<EventRow> classed = new ArrayList<>(rows.size());
    for (final EventRow r : rows) {
      Double d = r.d();
      if (d != null && Double.isFinite(d)) {
        d = d < -0.3 ? 0.0 : d <= 0.3 ? 1.0 : 2.0;
      }
      classed.add(new EventRow(r.key(), r.x(), d, r.kind(), r.id(), r.eventTime()));
    }
    return classed;
  }

  /** Replay's models, and its predictions (in order) and refusals by reason. */
  private record Replayed(Map<String, Model> models, List<String[]> served,
      Map<String, Integer> reasons, long predicted, long invalid) {}

  private static Replayed replay(final ModelSpec spec, final LabelTtl ttl,
      final EvaluationSpec judging, final List<EventRow> rows, final boolean named)
      throws Exception {
    final List<String[]> served = new ArrayList<>();
    final Map<String, Integer> reasons = new TreeMap<>();
    final Replay replay = new Replay(spec, EventRules.of(ttl).judging(judging))
        .predictionsTo((key, id, y, modelStep) ->
        served.add(new String[] {key, id + " " + Double.doubleToRawLongBits(y) + " @"
            + modelStep}));
    replay.train(new StringReader(EventRow.jsonLines(rows, named)), (line, reason, detail) ->
        reasons.merge(reason, 1, Integer::sum));
    return new Replayed(replay.models(), served, reasons, replay.predicted(), replay.invalid());
  }

  private static long steps(final Replayed replay) {
    return replay.models().values().stream().mapToLong(Model::count).sum();
  }

  /**
   * Labels for the predictions of the last 25 rows still pending (within the ttl of the last
   * row), and again for 100 predictions labelled earlier (unknown by then).
   */
  private static List<EventRow> lateLabels(final List<EventRow> rows) {
    final Map<String, EventRow> open = new LinkedHashMap<>();
    final List<EventRow> labelled = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      final EventRow r = rows.get(i);
      if (r.kind() == EventRow.Kind.PREDICT && r.id() != null && i >= rows.size() - 25) {
        open.put(r.key() + "/" + r.id(), r);
      } else if (r.kind() == EventRow.Kind.LABEL && !r.id().startsWith("never")) {
        open.remove(r.key() + "/" + r.id());
        labelled.add(r);
      }
    }
    final long time = rows.get(rows.size() - 1).eventTime() + 100;
    final List<EventRow> tail = new ArrayList<>();
    open.values().forEach(p -> tail.add(new EventRow(p.key(), null, 0.5, EventRow.Kind.LABEL,
        p.id(), time)));
    labelled.subList(0, 100).forEach(l -> tail.add(new EventRow(l.key(), null, 0.25,
        EventRow.Kind.LABEL, l.id(), time)));
    assertThat(open).as("labels that must find restored predictions").isNotEmpty();
    return tail;
  }

  /** Each model's evaluation, generation and drifts as replay's, bit for bit. */
  private static void assertServedEvaluationsEqual(final ServiceProcess service,
      final Map<String, Model> expected) throws Exception {
    long drifts = 0;
    long windowed = 0;
    for (final Map.Entry<String, Model> e : expected.entrySet()) {
      final JsonNode served = JSON.readTree(service.get("/models/" + e.getKey()));
      final JsonNode offline = ModelJson.of(e.getValue());
      for (final String field : new String[] {"evaluation", "generation", "drifts"}) {
        assertThat(served.path(field).toString()).as(e.getKey() + " " + field)
            .isEqualTo(offline.path(field).toString());
      }
      // (a model reset by a drift at its last events may have an empty window)
      windowed += served.at("/evaluation/window/count").asLong() > 0 ? 1 : 0;
      drifts += e.getValue().evaluation().driftCount();
    }
    assertThat(windowed).as("models with samples in their windows").isPositive();
    assertThat(drifts).as("drifts to check").isPositive();
  }

  /** Exactly one Drift record per drift replay saw, at its step, per key in order. */
  private static void assertEveryDriftOnce(final String bootstrap,
      final Map<String, Model> expected) throws Exception {
    final Map<String, List<Long>> want = new TreeMap<>();
    int total = 0;
    for (final Map.Entry<String, Model> e : expected.entrySet()) {
      for (final long step : e.getValue().evaluation().drifts()) {
        want.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(step);
        total++;
      }
    }
    final Map<String, List<Long>> got = new TreeMap<>();
    for (final ConsumerRecord<byte[], byte[]> r : TopicReader.read(bootstrap, "drifts", total,
        Duration.ofSeconds(30))) {
      final Drift drift = ReleasedSchemas.drifts().decode(r.value());
      got.computeIfAbsent(drift.getModelKey(), k -> new ArrayList<>()).add(drift.getStep());
    }
    assertThat(got).isEqualTo(want);
  }

  /** Per key, exactly the predictions replay made, in order, y bit for bit. */
  private static void assertOnePredictionPerPredictEvent(final String bootstrap,
      final Replayed replay) throws Exception {
    final Map<String, List<String>> offline = new TreeMap<>();
    final List<ConsumerRecord<byte[], byte[]>> records = TopicReader.read(bootstrap,
        "predictions", (int) replay.predicted(), Duration.ofSeconds(60));
    assertThat(records).hasSize((int) replay.predicted());
    final Map<String, List<String>> online = new TreeMap<>();
    for (final ConsumerRecord<byte[], byte[]> r : records) {
      final Prediction p = ReleasedSchemas.predictions().decode(r.value());
      online.computeIfAbsent(p.getModelKey(), k -> new ArrayList<>()).add(p.getId() + " "
          + Double.doubleToRawLongBits(p.getY()) + " @" + p.getModelStep()
          + (p.getVariant() == null ? "" : " " + p.getVariant()));
      if (p.getProbabilities() != null) {
        // a model of K classes: y is the probability of the label it names
        assertThat(p.getProbabilities().get(Integer.parseInt(p.getLabel()))).isEqualTo(p.getY());
      }
    }
    replay.served().forEach(s -> offline.computeIfAbsent(s[0], k -> new ArrayList<>())
        .add(s[1]));
    assertThat(online).isEqualTo(offline);
  }

  /** Every refused event is dead-lettered exactly once, with replay's reason. */
  private static void assertEveryRefusalOnce(final String bootstrap, final Replayed replay) {
    final List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(bootstrap, "dead",
        (int) replay.invalid(), Duration.ofSeconds(60));
    final Map<String, Integer> reasons = new TreeMap<>();
    for (final ConsumerRecord<byte[], byte[]> r : dead) {
      reasons.merge(new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(),
          StandardCharsets.UTF_8), 1, Integer::sum);
    }
    assertThat(reasons).isEqualTo(replay.reasons());
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
    assertStepsOneToN(records, validPerKey);
  }

  /** Per key, steps 1..n in order, n the steps of the expected model: no gap and no repeat. */
  public static void assertExactlyOneMetricPerStep(
      final List<ConsumerRecord<byte[], byte[]>> records, final Map<String, Model> expected)
      throws Exception {
    final Map<String, Long> stepsPerKey = new HashMap<>();
    expected.forEach((key, model) -> stepsPerKey.put(key, model.count()));
    assertStepsOneToN(records, stepsPerKey);
  }

  private static void assertStepsOneToN(
      final List<ConsumerRecord<byte[], byte[]>> records, final Map<String, Long> validPerKey)
      throws Exception {
    final Map<String, List<Long>> steps = new HashMap<>();
    for (final ConsumerRecord<byte[], byte[]> r : records) {
      final TrainingMetric m = ReleasedSchemas.trainingMetrics().decode(r.value());
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

  /**
   * The served models equal {@code expected} within 10 s: /models serves each model as of the
   * last commit, which may lag the trained-events counter by one commit interval.
   */
  public static void assertServedModelsEqual(final ServiceProcess service,
      final Map<String, Model> expected) throws Exception {
    assertServedModelsEqual(service, expected, Duration.ofSeconds(10));
  }

  /** As {@link #assertServedModelsEqual(ServiceProcess, Map)}, within {@code limit}. */
  public static void assertServedModelsEqual(final ServiceProcess service,
      final Map<String, Model> expected, final Duration limit) throws Exception {
    final long deadline = System.nanoTime() + limit.toNanos();
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
