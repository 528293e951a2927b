package io.gradstream.throughput;

import io.gradstream.events.EventEncoder;
import io.gradstream.events.EventFields;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Classes;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.learn.race.RaceRule;
import io.gradstream.learn.race.RaceSpec;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.MetricsDetail;
import io.gradstream.stream.ModelSerde;
import io.gradstream.stream.OnSettingsChange;
import io.gradstream.stream.RaceSetup;
import io.gradstream.stream.RecordFormats;
import io.gradstream.stream.StoreKind;
import io.gradstream.stream.TopicNames;
import io.gradstream.stream.TrainingTopology;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * End-to-end throughput on a real broker: the input topic is filled first, then (a) a Kafka
 * Streams passthrough of the same records with the same processing guarantee, Kafka's ceiling, and
 * (b) gradstream's topology each read all of it, in rounds; events/s is counted from the first
 * output record to the last (see {@link #measure}).
 */
public final class ThroughputBench {
  /**
   * What to measure.
   *
   * @param optimizer gradstream's optimizer (sgd, adam, ...), at its default hyperparameters
   * @param streams Kafka Streams and client properties given to both applications alike
   * @param hidden the widths of a network's hidden layers (tanh), empty for one neuron
   * @param hashBits B of a hashed logistic neuron whose events carry {@code features} named
   *     features (half numbers, half categories); 0 for a dense x of {@code features} numbers
   * @param evalWindow gradstream's --eval-window; -1 for models that are not judged (as before
   *     evaluation)
   * @param drift gradstream's --drift (detectors keep: --on-drift keep)
   * @param stores gradstream's --store (the stateful ceiling stays on RocksDB)
   */
  public record Setup(int events, int keys, int features, OptimizerKind optimizer, BenchKind kind,
      String guarantee, long seed, Map<String, String> streams, int[] hidden, int hashBits,
      int evalWindow, String drift, int classes, int race, StoreKind stores) {
    /** In RocksDB. */
    public Setup(final int events, final int keys, final int features,
        final OptimizerKind optimizer, final BenchKind kind, final String guarantee,
        final long seed, final Map<String, String> streams, final int[] hidden,
        final int hashBits, final int evalWindow, final String drift, final int classes,
        final int race) {
      this(events, keys, features, optimizer, kind, guarantee, seed, streams, hidden, hashBits,
          evalWindow, drift, classes, race, StoreKind.ROCKSDB);
    }

    /** Without a race. */
    public Setup(final int events, final int keys, final int features,
        final OptimizerKind optimizer, final BenchKind kind, final String guarantee,
        final long seed, final Map<String, String> streams, final int[] hidden,
        final int hashBits, final int evalWindow, final String drift, final int classes) {
      this(events, keys, features, optimizer, kind, guarantee, seed, streams, hidden, hashBits,
          evalWindow, drift, classes, 0);
    }

    /** One neuron per key. */
    public Setup(final int events, final int keys, final int features,
        final OptimizerKind optimizer, final BenchKind kind, final String guarantee,
        final long seed, final Map<String, String> streams) {
      this(events, keys, features, optimizer, kind, guarantee, seed, streams, new int[0], 0);
    }

    /** Models not judged. */
    public Setup(final int events, final int keys, final int features,
        final OptimizerKind optimizer, final BenchKind kind, final String guarantee,
        final long seed, final Map<String, String> streams, final int[] hidden,
        final int hashBits) {
      this(events, keys, features, optimizer, kind, guarantee, seed, streams, hidden, hashBits,
          -1, DriftSettings.NONE, 0);
    }

    /** How gradstream judges its models here; null when it does not. */
    EvaluationSpec evaluation() {
      return evalWindow < 0 ? null : new EvaluationSpec(evalWindow, DriftSettings.of(drift,
          false));
    }

    /** The topic (by its suffix) with one record per event, or per pair of events. */
    String output() {
      return kind == BenchKind.PREDICT || kind == BenchKind.PREDICT_PENDING ? "-predictions"
          : "-metrics";
    }

    /**
     * Events per record of {@link #output()}: a predict-label pair makes one metric, a training
     * event of a race of V variants V metrics.
     */
    double eventsPerOutput() {
      return kind == BenchKind.PREDICT_LABEL ? 2.0 / Math.max(1, race)
          : race > 0 && output().equals("-metrics") ? 1.0 / race : 1;
    }

    /** As arguments of an application's own process ({@link #fromArgs}). */
    List<String> toArgs() {
      final List<String> args = new ArrayList<>(List.of(String.valueOf(events),
          String.valueOf(keys), String.valueOf(features), optimizer.optionName(), kind.toString(),
          guarantee, String.valueOf(seed), Arrays.stream(hidden).mapToObj(String::valueOf)
              .collect(Collectors.joining(",", "[", "]")), String.valueOf(hashBits),
          String.valueOf(evalWindow), drift, String.valueOf(classes), String.valueOf(race),
          stores.id()));
      streams.forEach((k, v) -> args.add(k + "=" + v));
      return args;
    }

    static Setup fromArgs(final List<String> args) {
      final String layers = args.get(7).substring(1, args.get(7).length() - 1);
      final Map<String, String> streams = new TreeMap<>();
      for (final String kv : args.subList(14, args.size())) {
        streams.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      }
      return new Setup(Integer.parseInt(args.get(0)), Integer.parseInt(args.get(1)),
          Integer.parseInt(args.get(2)), OptimizerKind.named(args.get(3)),
          BenchKind.named(args.get(4)), args.get(5),
          Long.parseLong(args.get(6)), streams, layers.isEmpty() ? new int[0]
              : Arrays.stream(layers.split(",")).mapToInt(Integer::parseInt).toArray(),
          Integer.parseInt(args.get(8)), Integer.parseInt(args.get(9)), args.get(10),
          Integer.parseInt(args.get(11)), Integer.parseInt(args.get(12)),
          StoreKind.parse(args.get(13)));
    }
  }

  /**
   * One round: events/s of the passthrough, the stateful ceiling ({@link StatefulCeiling}) and
   * gradstream; with the applications in processes of their own also the CPU seconds per million
   * events of each application's process and of the broker's while it served that application,
   * and gradstream's live heap at the end (after a full collection); when asked, what a new
   * gradstream instance restored from the changelogs, how long that took ({@link RestoreClock})
   * and its live heap then. NaN where not measured.
   */
  public record Result(double passthroughPerSecond, double statefulPerSecond,
      double gradstreamPerSecond, double passthroughCpu, double statefulCpu, double gradstreamCpu,
      double passthroughBrokerCpu, double statefulBrokerCpu, double gradstreamBrokerCpu,
      double gradstreamHeapMb, double restoredRecords, double restoreSeconds,
      double restoredHeapMb) {
    Result(final Measured passthrough, final Measured stateful, final Measured gradstream,
        final Restored restored) {
      this(passthrough.perSecond, stateful.perSecond, gradstream.perSecond, passthrough.cpu,
          stateful.cpu, gradstream.cpu, passthrough.brokerCpu, stateful.brokerCpu,
          gradstream.brokerCpu, gradstream.heapMb, restored.records, restored.seconds,
          restored.heapMb);
    }

    public double ratio() {
      return gradstreamPerSecond / passthroughPerSecond;
    }

    /** gradstream's events/s over the stateful ceiling's: the fair bound. */
    public double statefulRatio() {
      return gradstreamPerSecond / statefulPerSecond;
    }

    /** gradstream's CPU per event over the passthrough's, both applications' processes. */
    public double cpuRatio() {
      return gradstreamCpu / passthroughCpu;
    }

    /** Whether CPU and heap were read from processes of their own. */
    public boolean separate() {
      return !Double.isNaN(gradstreamCpu);
    }

    /** The median of each column over the rounds (the upper one for an even count). */
    public static Result median(final List<Result> rounds) {
      return new Result(median(rounds, Result::passthroughPerSecond),
          median(rounds, Result::statefulPerSecond), median(rounds, Result::gradstreamPerSecond),
          median(rounds, Result::passthroughCpu), median(rounds, Result::statefulCpu),
          median(rounds, Result::gradstreamCpu), median(rounds, Result::passthroughBrokerCpu),
          median(rounds, Result::statefulBrokerCpu), median(rounds, Result::gradstreamBrokerCpu),
          median(rounds, Result::gradstreamHeapMb), median(rounds, Result::restoredRecords),
          median(rounds, Result::restoreSeconds), median(rounds, Result::restoredHeapMb));
    }

    /** Whether a new instance's restore was measured. */
    public boolean restored() {
      return !Double.isNaN(restoreSeconds);
    }

    private static double median(final List<Result> rounds,
        final ToDoubleFunction<Result> column) {
      final double[] sorted = rounds.stream().mapToDouble(column).sorted().toArray();
      return sorted[sorted.length / 2];
    }
  }

  /** One application's figures in one round. */
  private record Measured(double perSecond, double cpu, double brokerCpu, double heapMb) {}

  /** A new gradstream instance's restore. */
  private record Restored(double records, double seconds, double heapMb) {
    static final Restored NONE = new Restored(Double.NaN, Double.NaN, Double.NaN);
  }

  /** Event to published metric, as a read_committed consumer of the metrics sees it. */
  public record Latency(double ratePerSecond, int events, long p50Millis, long p99Millis,
      long maxMillis) {}

  private ThroughputBench() {}

  /** Fills the input topic once; then reads all of it once with each application. */
  public static void fill(final String bootstrap, final Setup setup) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic("bench-in", 1, (short) 1))).all().get();
    }
    produce(bootstrap, "bench-in", setup, setup.events(), 0);
  }

  /**
   * One round on the filled input: the passthrough, the stateful ceiling, then gradstream, each a
   * new application with output topics of its own. With the broker in this JVM the applications
   * run here too, and several rounds show how much of a figure is noise, the later ones on a warm
   * JIT. With the broker in a process of its own each application gets a fresh JVM, and its CPU
   * time is read from that process.
   *
   * @param restore whether a second gradstream instance then restores the first one's stores
   *     from their changelogs (with the broker in a process of its own only)
   */
  public static Result round(final BenchBroker broker, final Setup setup, final int round,
      final boolean restore) throws Exception {
    final String pass = "bench-pass-" + round;
    final String state = "bench-state-" + round;
    final String prefix = "bench-" + round;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(pass, 1, (short) 1),
          new NewTopic(state, 1, (short) 1),
          new NewTopic(prefix + "-metrics", 1, (short) 1),
          new NewTopic(prefix + "-predictions", 1, (short) 1),
          new NewTopic(prefix + "-dlq", 1, (short) 1),
          new NewTopic(prefix + "-drifts", 1, (short) 1),
          new NewTopic(prefix + "-champions", 1, (short) 1))).all().get();
      final Measured passthrough = measure(admin, broker, setup, BenchApp.PASSTHROUGH, pass,
          pass);
      final Measured stateful = measure(admin, broker, setup, BenchApp.STATEFUL,
          "bench-stateful-" + round, state);
      final Measured ours = measure(admin, broker, setup, BenchApp.GRADSTREAM,
          "bench-gradstream-" + round, prefix);
      return new Result(passthrough, stateful, ours, restore && broker.separate()
          ? restore(broker, setup, "bench-gradstream-" + round, prefix) : Restored.NONE);
    }
  }

  /**
   * Latency at a fixed rate: events are produced live at {@code ratePerSecond} for {@code
   * seconds}, each stamped with its send time; a read_committed consumer of the metrics topic
   * takes now − that stamp for every metric (the metric keeps its event's timestamp). So the
   * figure includes the exactly-once commit interval, as any downstream consumer sees it. The
   * first two seconds are left out (warm-up).
   */
  public static Latency latency(final BenchBroker broker, final Setup setup,
      final double ratePerSecond, final int seconds) throws Exception {
    final String bootstrap = broker.bootstrapServers();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic("latency-in", 1, (short) 1),
          new NewTopic("latency-metrics", 1, (short) 1), new NewTopic("latency-dlq", 1, (short) 1),
          new NewTopic("latency-drifts", 1, (short) 1),
          new NewTopic("latency-champions", 1, (short) 1)))
          .all().get();
    }
    final Properties props = properties(bootstrap, broker.work(), setup, "bench-latency");
    final Topology topology = gradstream(setup, props, "latency-in", "latency");
    final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    try (KafkaStreams streams = new KafkaStreams(topology, props);
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "group.id", "latency-reader",
                "isolation.level", "read_committed", "auto.offset.reset", "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      streams.start();
      final long ready = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < ready) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
      consumer.subscribe(List.of("latency-metrics"));
      consumer.poll(Duration.ofMillis(500));
      final Thread producer = new Thread(() -> produce(bootstrap, "latency-in", setup,
          (long) (ratePerSecond * seconds), ratePerSecond));
      final long sendStart = System.currentTimeMillis();
      producer.start();
      final long expected = (long) (ratePerSecond * seconds);
      long seen = 0;
      final long deadline = System.nanoTime() + Duration.ofSeconds(seconds + 60L).toNanos();
      while (seen < expected && System.nanoTime() < deadline) {
        for (final var record : consumer.poll(Duration.ofMillis(100))) {
          seen++;
          if (record.timestamp() >= sendStart + 2000) {
            latencies.add(System.currentTimeMillis() - record.timestamp());
          }
        }
      }
      producer.join();
    }
    final long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      throw new IllegalStateException("no metric arrived after the warm-up");
    }
    return new Latency(ratePerSecond, sorted.length, sorted[sorted.length / 2],
        sorted[(int) (sorted.length * 0.99)], sorted[sorted.length - 1]);
  }

  static Properties properties(final String bootstrap, final Path stateRoot, final Setup setup,
      final String applicationId) throws IOException {
    final Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, setup.guarantee());
    p.put(StreamsConfig.STATE_DIR_CONFIG,
        Files.createTempDirectory(stateRoot, "state").toString());
    p.putAll(setup.streams());
    return p;
  }

  /**
   * The application measured.
   *
   * @param output the passthrough's or the stateful ceiling's topic, or gradstream's topic prefix
   */
  static Topology topology(final BenchApp app, final Setup setup, final Properties props,
      final String input, final String output) {
    return switch (app) {
      case PASSTHROUGH -> passthrough(input, output);
      case STATEFUL -> StatefulCeiling.topology(input, output, storedModelBytes(setup));
      case GRADSTREAM -> gradstream(setup, props, input, output);
    };
  }

  /**
   * The bytes of gradstream's stored model for the setup, before its first step (judged as the
   * setup judges): what the stateful ceiling reads and writes per event.
   */
  static int storedModelBytes(final Setup setup) {
    final ModelSpec spec = spec(setup, 0.01);
    final Model model = Model.initial(spec);
    final EvaluationSpec evaluation = setup.evaluation();
    if (evaluation != null) {
      model.judgedBy(evaluation.fresh(EvaluationKind.of(spec.loss())));
    }
    return new ModelSerde(spec.stepSettings()).toBytes(model).length;
  }

  /** Kafka's ceiling: the same records, source to sink, with the same guarantee. */
  private static Topology passthrough(final String input, final String output) {
    final Topology passthrough = new Topology();
    passthrough.addSource("in", Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer(), input);
    passthrough.addSink("out", output, Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer(), "in");
    return passthrough;
  }

  /** gradstream's topology from {@code input} to {@code <prefix>-metrics} and {@code -dlq}. */
  static Topology gradstream(final Setup setup, final Properties props,
      final String input, final String prefix) {
    final EventRules rules = EventRules.of(LabelTtl.defaults()).judging(setup.evaluation());
    RaceSetup race = null;
    if (setup.race() > 0) {
      // learning rates 0.01 · 3^(v − 1): 0.0033, 0.01, 0.03, ...
      final List<String> names = new ArrayList<>();
      final List<ModelSpec> specs = new ArrayList<>();
      for (int v = 0; v < setup.race(); v++) {
        final double rate = 0.01 * Math.pow(3, v - 1);
        names.add("learning-rate=" + rate);
        specs.add(spec(setup, rate));
      }
      race = new RaceSetup(new RaceSpec(names, specs, new RaceRule(RaceRule.DEFAULT_HALF_LIFE,
          RaceRule.DEFAULT_WARMUP)), Collections.nCopies(setup.race(), rules));
    }
    return TrainingTopology.build(
        new TopicNames(input, prefix + "-metrics", prefix + "-dlq", prefix + "-predictions",
            prefix + "-drifts", prefix + "-champions"),
        RecordFormats.of(InputFormat.AVRO), spec(setup, 0.01), rules, race, OnSettingsChange.REFUSE,
        MetricsDetail.SUMMARY, setup.stores(),
        new TrainingMeters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 20), props);
  }

  /** The model the setup asks for, stepped at {@code rate}. */
  private static ModelSpec spec(final Setup setup, final double rate) {
    final boolean network = setup.hidden().length > 0;
    return setup.hashBits() > 0
        ? new ModelSpec(1 << setup.hashBits(), true, Activation.SIGMOID, rate, null, 0.0,
            Loss.LOGISTIC, OptimizerSettings.of(setup.optimizer()), HiddenLayers.NONE,
            FeatureHashing.of(setup.hashBits()))
        : setup.classes() > 0 ? new ModelSpec(setup.features(), false, Activation.SIGMOID, rate,
            null, 0.0, Loss.crossEntropy(Classes.numbered(setup.classes())),
            OptimizerSettings.of(setup.optimizer()), network ? HiddenLayers.of(setup.hidden(),
                Activation.TANH, 42L) : HiddenLayers.NONE)
        : new ModelSpec(setup.features(), !network,
            network ? Activation.IDENTITY : Activation.SIGMOID,
            rate, null, 0.0, Loss.SQUARED,
            OptimizerSettings.of(setup.optimizer()),
            network ? HiddenLayers.of(setup.hidden(),
                Activation.TANH, 42L) : HiddenLayers.NONE);
  }

  /**
   * Random events over the setup's keys, each stamped with its send time (the record timestamp).
   *
   * @param ratePerSecond 0 for as fast as the producer goes (batched), else a steady live rate; a
   *     live run cycles through 8,192 values encoded up front, so that the load generator, which
   *     shares the machine with the service, spends its time sending rather than encoding
   */
  private static void produce(final String bootstrap, final String topic, final Setup setup,
      final long events, final double ratePerSecond) {
    final Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, ratePerSecond > 0 ? "1" : "20");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    final EventEncoder avro = EventEncoder.avro();
    final Random random = new Random(setup.seed());
    final byte[][] keys = new byte[setup.keys()][];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = ("model-" + k).getBytes(StandardCharsets.UTF_8);
    }
    final EventFields event = new EventFields();
    final byte[][] pool = new byte[ratePerSecond > 0 ? 8192 : 0][];
    for (int v = 0; v < pool.length; v++) {
      pool[v] = randomEvent(avro, random, setup, v, event);
    }
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      // predictions are for trained models: one training event per key first (not counted)
      if (setup.kind() != BenchKind.TRAIN) {
        final byte[] first = setup.hashBits() > 0
            ? randomEvent(avro, random, setup, -1, event) : avro.encode(
                new double[setup.features()], 0.5);
        for (final byte[] k : keys) {
          producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), k, first));
        }
      }
      final long start = System.nanoTime();
      byte[] key = keys[0];
      for (long i = 0; i < events; i++) {
        if (ratePerSecond > 0) {
          final long wait = start + (long) (i * 1e9 / ratePerSecond) - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
        final byte[] value = pool.length > 0 ? pool[(int) (i & (pool.length - 1))]
            : randomEvent(avro, random, setup, i, event);
        // a label goes to the key of its prediction, the event before it
        if (setup.kind() != BenchKind.PREDICT_LABEL || i % 2 == 0) {
          key = keys[random.nextInt(keys.length)];
        }
        producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), key, value));
      }
    }
  }

  /**
   * The i-th event of the setup's kind (a training event for i = −1), with random x or named
   * features (and d).
   */
  private static byte[] randomEvent(final EventEncoder avro, final Random random,
      final Setup setup, final long i, final EventFields event) {
    final boolean label = setup.kind() == BenchKind.PREDICT_LABEL && i % 2 == 1;
    event.features.clear();
    event.hasFeatures = setup.hashBits() > 0 && !label;
    if (setup.hashBits() > 0) {
      // half numbers, half categories of a hundred values each: a click log's mix
      for (int j = 0; j < setup.features(); j++) {
        if (j % 2 == 0) {
          event.features.number("n" + j, random.nextGaussian());
        } else {
          event.features.category("c" + j, "v" + random.nextInt(100));
        }
      }
      event.x = null;
    } else {
      final double[] x = new double[setup.features()];
      for (int j = 0; j < x.length; j++) {
        x[j] = random.nextGaussian();
      }
      event.x = label ? null : x;
    }
    event.d = setup.classes() > 0 ? random.nextInt(setup.classes()) : random.nextDouble();
    event.hasLabel = setup.kind() == BenchKind.TRAIN || label || i < 0;
    event.id = setup.kind() == BenchKind.TRAIN || setup.kind() == BenchKind.PREDICT || i < 0
        ? null
        : "p" + (setup.kind() == BenchKind.PREDICT_PENDING ? i : i / 2);
    return avro.encode(event);
  }

  /**
   * Runs one application over the filled input and measures it from its output's last stable
   * offset, sampled every 10 ms. In this JVM: events/s from the first output record to the last
   * (start-up and the first rebalance are not counted). In a fresh JVM of its own: from 10% of the
   * output to the last record, which also leaves the JIT's warm-up out, and the CPU seconds its
   * process and the broker's spent over the same span.
   *
   * @param output the passthrough's or the stateful ceiling's topic, or gradstream's topic prefix
   */
  private static Measured measure(final Admin admin, final BenchBroker broker, final Setup setup,
      final BenchApp app, final String applicationId, final String output)
      throws Exception {
    final boolean gradstream = app == BenchApp.GRADSTREAM;
    final String topic = gradstream ? output + setup.output() : output;
    // events/s: a predict-label pair makes one metric; the passthrough and the ceiling copy
    // every record
    final double eventsPerOutput = gradstream ? setup.eventsPerOutput() : 1;
    final long outputs = Math.round(setup.events() / eventsPerOutput);
    final TopicPartition partition = new TopicPartition(topic, 0);
    final long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    final long from = broker.separate() ? outputs / 10 : 1;
    long firstTime = 0;
    long firstOffset = 0;
    double firstCpu = 0;
    double firstBrokerCpu = 0;
    try (Running running = broker.separate()
        ? new OwnProcess(broker, setup, app, applicationId, output)
        : new InThisJvm(broker, setup, app, applicationId, output)) {
      while (true) {
        final long offset = endOffset(admin, partition);
        final long now = System.nanoTime();
        if (firstTime == 0 && offset >= from) {
          firstTime = now;
          firstOffset = offset;
          firstCpu = running.cpuSeconds();
          firstBrokerCpu = broker.cpuSeconds();
        }
        if (offset >= outputs) {
          final double events = (offset - firstOffset) * eventsPerOutput;
          return new Measured(events / ((now - firstTime) / 1e9),
              (running.cpuSeconds() - firstCpu) / events * 1e6,
              (broker.cpuSeconds() - firstBrokerCpu) / events * 1e6,
              gradstream ? running.liveHeapMb() : Double.NaN);
        }
        if (now > deadline) {
          throw new IllegalStateException("not done within 10 minutes");
        }
        TimeUnit.MILLISECONDS.sleep(10);
      }
    }
  }

  /**
   * A new gradstream instance of {@code applicationId}, with a state directory of its own, restores
   * the stores the measured one left in their changelogs (its input is all read, so it does
   * nothing else).
   */
  private static Restored restore(final BenchBroker broker, final Setup setup,
      final String applicationId, final String output) throws Exception {
    try (OwnProcess again = new OwnProcess(broker, setup, BenchApp.GRADSTREAM, applicationId,
        output)) {
      final String[] answer = again.ask("restore").split(" ");
      return new Restored(Double.parseDouble(answer[0]), Double.parseDouble(answer[1]),
          again.liveHeapMb());
    }
  }

  /** The live heap after a full collection, in MB. */
  static double liveHeapMb() {
    System.gc();
    System.gc();
    final Runtime runtime = Runtime.getRuntime();
    return (runtime.totalMemory() - runtime.freeMemory()) / 1e6;
  }

  /** An application under measurement. */
  private interface Running extends AutoCloseable {
    /** Its process's CPU seconds so far; NaN when it shares this JVM. */
    double cpuSeconds();

    /** Its live heap in MB; NaN when it shares this JVM. */
    double liveHeapMb() throws IOException;

    @Override
    void close() throws Exception;
  }

  /** The application in this JVM, with the broker. */
  private static final class InThisJvm implements Running {
    private final KafkaStreams streams;

    InThisJvm(final BenchBroker broker, final Setup setup, final BenchApp app,
        final String applicationId, final String output) throws IOException {
      final Properties props = properties(broker.bootstrapServers(), broker.work(), setup,
          applicationId);
      streams = new KafkaStreams(topology(app, setup, props, "bench-in", output), props);
      streams.start();
    }

    @Override
    public double cpuSeconds() {
      return Double.NaN;
    }

    @Override
    public double liveHeapMb() {
      return Double.NaN;
    }

    @Override
    public void close() {
      streams.close();
    }
  }

  /** The application in a fresh JVM of its own ({@link BenchApplication}). */
  private static final class OwnProcess implements Running {
    private final Process process;
    private final BufferedReader out;
    private final Path log;

    OwnProcess(final BenchBroker broker, final Setup setup, final BenchApp app,
        final String applicationId, final String output) throws IOException {
      final List<String> args = new ArrayList<>(List.of(
          app.id(), broker.bootstrapServers(), applicationId,
          broker.work().toString(), "bench-in", output));
      args.addAll(setup.toArgs());
      log = broker.work().resolve(applicationId + ".log");
      process = ChildJvm.start(BenchApplication.class, "1g",
          broker.applicationJavaOptions().stream().map(o -> o.replace("{app}", applicationId))
              .toList(), args, log);
      out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8));
    }

    @Override
    public double cpuSeconds() {
      return ChildJvm.cpuSeconds(process);
    }

    @Override
    public double liveHeapMb() throws IOException {
      return Double.parseDouble(ask("heap"));
    }

    /** Sends {@code command} and returns the rest of the answer's line, which starts with it. */
    String ask(final String command) throws IOException {
      process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
      // a JVM option may print too (a profiler's start, say)
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith(command + " ")) {
          return line.substring(command.length() + 1);
        }
      }
      throw new IllegalStateException("the application's process ended (see " + log + ")");
    }

    @Override
    public void close() throws Exception {
      ChildJvm.stop(process);
    }
  }

  /**
   * The last stable offset. With exactly-once each commit also writes a transaction marker, which
   * takes an offset: the count ends up to one record per commit early (about 100 in 1M events),
   * for the passthrough and for gradstream alike.
   */
  private static long endOffset(final Admin admin, final TopicPartition partition)
      throws Exception {
    final ListOffsetsResult result = admin.listOffsets(Map.of(partition, OffsetSpec.latest()),
        new ListOffsetsOptions(
            IsolationLevel.READ_COMMITTED));
    return result.partitionResult(partition).get().offset();
  }
}
