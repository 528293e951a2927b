package io.gradstream.local;

import io.gradstream.events.EventEncoder;
import io.gradstream.events.EventFields;
import io.gradstream.learn.Loss;
import io.gradstream.learn.ModelSpec;
import io.gradstream.predict.LabelTtl;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.OnSettingsChange;
import io.gradstream.stream.TopicNames;
import io.gradstream.stream.TrainingTopology;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
   * @param kind {@code train}: training events; {@code predict}: predictions without an id;
   *     {@code predict-pending}: predictions with an id (each kept pending); {@code
   *     predict-label}: a prediction with an id, then its label, in turn
   * @param streams Kafka Streams and client properties given to both applications alike
   * @param hidden the widths of a network's hidden layers (tanh), empty for one neuron
   */
  public record Setup(int events, int keys, int features, String optimizer, String kind,
      String guarantee, long seed, Map<String, String> streams, int[] hidden) {
    /** One neuron per key. */
    public Setup(final int events, final int keys, final int features, final String optimizer,
        final String kind, final String guarantee, final long seed,
        final Map<String, String> streams) {
      this(events, keys, features, optimizer, kind, guarantee, seed, streams, new int[0]);
    }

    public static final List<String> KINDS = List.of("train", "predict", "predict-pending",
        "predict-label");

    /** The topic (by its suffix) with one record per event, or per pair of events. */
    String output() {
      return kind.startsWith("predict") && !kind.equals("predict-label") ? "-predictions"
          : "-metrics";
    }

    /** Events per record of {@link #output()}. */
    int eventsPerOutput() {
      return kind.equals("predict-label") ? 2 : 1;
    }
  }

  /** Events per second of the passthrough and of gradstream in one round. */
  public record Result(double passthroughPerSecond, double gradstreamPerSecond) {
    public double ratio() {
      return gradstreamPerSecond / passthroughPerSecond;
    }

    /** The median of each column over the rounds (the upper one for an even count). */
    public static Result median(final List<Result> rounds) {
      final double[] pass = rounds.stream().mapToDouble(Result::passthroughPerSecond).sorted()
          .toArray();
      final double[] ours = rounds.stream().mapToDouble(Result::gradstreamPerSecond).sorted()
          .toArray();
      return new Result(pass[pass.length / 2], ours[ours.length / 2]);
    }
  }

  /** Event to published metric, as a read_committed consumer of the metrics sees it. */
  public record Latency(double ratePerSecond, int events, long p50Millis, long p99Millis,
      long maxMillis) {}

  private ThroughputBench() {}

  /** Fills the input topic once; then reads all of it once with each application. */
  public static void fill(final EmbeddedKafka kafka, final Setup setup) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("bench-in", 1, (short) 1))).all().get();
    }
    produce(kafka.bootstrapServers(), "bench-in", setup, setup.events(), 0);
  }

  /**
   * One round on the filled input: the passthrough, then gradstream, each a new application with
   * output topics of its own. Several rounds in one JVM show how much of a figure is noise, and
   * the later ones run on a warm JIT.
   */
  public static Result round(final EmbeddedKafka kafka, final Setup setup, final int round)
      throws Exception {
    final String pass = "bench-pass-" + round;
    final String prefix = "bench-" + round;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(pass, 1, (short) 1),
          new NewTopic(prefix + "-metrics", 1, (short) 1),
          new NewTopic(prefix + "-predictions", 1, (short) 1),
          new NewTopic(prefix + "-dlq", 1, (short) 1))).all().get();

      final Topology passthrough = new Topology();
      passthrough.addSource("in", Serdes.ByteArray().deserializer(),
          Serdes.ByteArray().deserializer(), "bench-in");
      passthrough.addSink("out", pass, Serdes.ByteArray().serializer(),
          Serdes.ByteArray().serializer(), "in");
      final double ceiling = measure(admin, passthrough, properties(kafka, setup, pass), pass,
          setup.events());

      final Properties props = properties(kafka, setup, "bench-gradstream-" + round);
      // events/s: a predict-label pair makes one metric
      final double ours = setup.eventsPerOutput() * measure(admin,
          gradstream(setup, props, "bench-in", prefix), props, prefix + setup.output(),
          setup.events() / setup.eventsPerOutput());
      return new Result(ceiling, ours);
    }
  }

  /**
   * Latency at a fixed rate: events are produced live at {@code ratePerSecond} for {@code
   * seconds}, each stamped with its send time; a read_committed consumer of the metrics topic
   * takes now − that stamp for every metric (the metric keeps its event's timestamp). So the
   * figure includes the exactly-once commit interval, as any downstream consumer sees it. The
   * first two seconds are left out (warm-up).
   */
  public static Latency latency(final EmbeddedKafka kafka, final Setup setup,
      final double ratePerSecond, final int seconds) throws Exception {
    final String bootstrap = kafka.bootstrapServers();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic("latency-in", 1, (short) 1),
          new NewTopic("latency-metrics", 1, (short) 1), new NewTopic("latency-dlq", 1, (short) 1)))
          .all().get();
    }
    final Properties props = properties(kafka, setup, "bench-latency");
    final Topology topology = gradstream(setup, props, "latency-in", "latency");
    final java.util.List<Long> latencies = java.util.Collections.synchronizedList(
        new java.util.ArrayList<>());
    try (KafkaStreams streams = new KafkaStreams(topology, props);
        org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
            new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrap, "group.id", "latency-reader",
                "isolation.level", "read_committed", "auto.offset.reset", "earliest"),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
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

  private static Properties properties(final EmbeddedKafka kafka, final Setup setup,
      final String applicationId) throws java.io.IOException {
    final Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, setup.guarantee());
    p.put(StreamsConfig.STATE_DIR_CONFIG,
        Files.createTempDirectory(kafka.dataDir(), "state").toString());
    p.putAll(setup.streams());
    return p;
  }

  /** gradstream's topology from {@code input} to {@code <prefix>-metrics} and {@code -dlq}. */
  private static Topology gradstream(final Setup setup, final Properties props,
      final String input, final String prefix) {
    final boolean network = setup.hidden().length > 0;
    final ModelSpec spec = new ModelSpec(setup.features(), !network,
        network ? io.gradstream.learn.Activation.IDENTITY : io.gradstream.learn.Activation.SIGMOID,
        0.01, null, 0.0, Loss.SQUARED,
        new OptimizerSettings(setup.optimizer(), null, null, null, null, null, null, null, null,
            null, "constant", null, 0),
        network ? io.gradstream.learn.HiddenLayers.of(setup.hidden(),
            io.gradstream.learn.Activation.TANH, 42L) : io.gradstream.learn.HiddenLayers.NONE);
    return TrainingTopology.build(
        new TopicNames(input, prefix + "-metrics", prefix + "-dlq", prefix + "-predictions"),
        InputFormat.AVRO, spec, LabelTtl.defaults(), OnSettingsChange.REFUSE,
        new TrainingMeters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 20), props);
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
      if (!setup.kind().equals("train")) {
        for (final byte[] k : keys) {
          producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), k,
              avro.encode(new double[setup.features()], 0.5)));
        }
      }
      final long start = System.nanoTime();
      byte[] key = keys[0];
      for (long i = 0; i < events; i++) {
        if (ratePerSecond > 0) {
          final long wait = start + (long) (i * 1e9 / ratePerSecond) - System.nanoTime();
          if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
          }
        }
        final byte[] value = pool.length > 0 ? pool[(int) (i & (pool.length - 1))]
            : randomEvent(avro, random, setup, i, event);
        // a label goes to the key of its prediction, the event before it
        if (!setup.kind().equals("predict-label") || i % 2 == 0) {
          key = keys[random.nextInt(keys.length)];
        }
        producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), key, value));
      }
    }
  }

  /** The i-th event of the setup's kind, with random x (and d). */
  private static byte[] randomEvent(final EventEncoder avro, final Random random,
      final Setup setup, final long i, final EventFields event) {
    final boolean label = setup.kind().equals("predict-label") && i % 2 == 1;
    final double[] x = new double[setup.features()];
    for (int j = 0; j < x.length; j++) {
      x[j] = random.nextGaussian();
    }
    event.x = label ? null : x;
    event.d = random.nextDouble();
    event.hasLabel = setup.kind().equals("train") || label;
    event.id = setup.kind().equals("train") || setup.kind().equals("predict") ? null
        : "p" + (setup.kind().equals("predict-pending") ? i : i / 2);
    return avro.encode(event);
  }

  /**
   * Events/s from the first output record to the last (start-up and the first rebalance are not
   * counted), sampling the output's end offset every 10 ms.
   */
  private static double measure(final Admin admin, final Topology topology,
      final Properties props, final String output, final int events) throws Exception {
    final TopicPartition partition = new TopicPartition(output, 0);
    final long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    long firstTime = 0;
    long firstOffset = 0;
    try (KafkaStreams streams = new KafkaStreams(topology, props)) {
      streams.start();
      while (true) {
        final long offset = endOffset(admin, partition);
        final long now = System.nanoTime();
        if (firstTime == 0 && offset > 0) {
          firstTime = now;
          firstOffset = offset;
        }
        if (offset >= events) {
          return (offset - firstOffset) / ((now - firstTime) / 1e9);
        }
        if (now > deadline) {
          throw new IllegalStateException("not done within 10 minutes");
        }
        TimeUnit.MILLISECONDS.sleep(10);
      }
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
        new org.apache.kafka.clients.admin.ListOffsetsOptions(
            org.apache.kafka.common.IsolationLevel.READ_COMMITTED));
    return result.partitionResult(partition).get().offset();
  }
}
