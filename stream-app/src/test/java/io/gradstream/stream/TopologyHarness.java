package io.gradstream.stream;

import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.Champion;
import io.gradstream.avro.Prediction;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.message.MessageDecoder;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/** The real topology in a {@link TopologyTestDriver}, with its topics and store at hand. */
public final class TopologyHarness implements AutoCloseable {
  final TopicNames topics = TopicNames.defaults();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final TopologyTestDriver driver;
  final TestInputTopic<byte[], byte[]> input;
  final TestOutputTopic<byte[], byte[]> metrics;
  final TestOutputTopic<byte[], byte[]> deadLetters;
  final TestOutputTopic<byte[], byte[]> predictions;
  final TestOutputTopic<byte[], byte[]> drifts;
  final TestOutputTopic<byte[], byte[]> champions;
  private final Path stateDir;
  private Instant time = Instant.parse("2026-01-01T00:00:00Z");

  static {
    AvroSafety.install();
  }

  public TopologyHarness(final ModelSpec spec, final InputFormat format) {
    this(spec, format, Map.of());
  }

  /** @param streams Kafka Streams settings on top of the harness's own */
  public TopologyHarness(final ModelSpec spec, final InputFormat format,
      final Map<String, String> streams) {
    this(spec, LabelTtl.defaults(), format, streams);
  }

  /** @param streams Kafka Streams settings on top of the harness's own */
  public TopologyHarness(final ModelSpec spec, final LabelTtl labelTtl, final InputFormat format,
      final Map<String, String> streams) {
    this(spec, EventRules.of(labelTtl), format, streams);
  }

  /** @param rules how late labels may come, how large features may be */
  public TopologyHarness(final ModelSpec spec, final EventRules rules,
      final InputFormat format, final Map<String, String> streams) {
    this(spec, rules, null, RecordFormats.of(format), streams, StoreKind.ROCKSDB);
  }

  /** @param formats how events are read and the records written are framed */
  public TopologyHarness(final ModelSpec spec, final RecordFormats formats) {
    this(spec, EventRules.of(LabelTtl.defaults()), null, formats, Map.of(), StoreKind.ROCKSDB);
  }

  /** @param stores where the models, pending predictions and window segments are kept */
  public TopologyHarness(final ModelSpec spec, final EventRules rules,
      final InputFormat format, final Map<String, String> streams, final StoreKind stores) {
    this(spec, rules, null, RecordFormats.of(format), streams, stores);
  }

  /** @param race the race each key runs (its first variant's spec and rules as the models') */
  public TopologyHarness(final RaceSetup race, final InputFormat format,
      final Map<String, String> streams) {
    this(race.spec().specs().get(0), race.rules().get(0), race, RecordFormats.of(format), streams,
        StoreKind.ROCKSDB);
  }

  private TopologyHarness(final ModelSpec spec, final EventRules rules, final RaceSetup race,
      final RecordFormats formats, final Map<String, String> streams, final StoreKind stores) {
    try {
      stateDir = Files.createTempDirectory("gradstream-ttd");
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "gradstream-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.putAll(streams);
    driver = new TopologyTestDriver(
        TrainingTopology.build(topics, formats, spec, rules, race, OnSettingsChange.REFUSE,
            MetricsDetail.SUMMARY, stores, new TrainingMeters(registry, 5), props), props);
    input = driver.createInputTopic(topics.input(), new ByteArraySerializer(),
        new ByteArraySerializer());
    metrics = driver.createOutputTopic(topics.metrics(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    deadLetters = driver.createOutputTopic(topics.deadLetters(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    predictions = driver.createOutputTopic(topics.predictions(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    drifts = driver.createOutputTopic(topics.drifts(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    champions = driver.createOutputTopic(topics.champions(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /** Sends with an explicit record timestamp (the harness's clock is not advanced). */
  public void send(final String key, final byte[] value, final Instant timestamp) {
    input.pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, timestamp);
  }

  TopologyTestDriver driver() {
    return driver;
  }

  /** Lets the wall clock run on, firing what is scheduled on it (the cleanup of predictions). */
  void advanceWallClock(final Duration by) {
    driver.advanceWallClockTime(by);
  }

  /** Where the models, pending predictions and window segments are kept, as the stores say. */
  public StoreKind stores() {
    final boolean models = driver.getAllStateStores().get(TrainingTopology.STORE)
        .persistent();
    final boolean pending = driver.getAllStateStores().get(TrainingTopology.PENDING)
        .persistent();
    final boolean windows = driver.getAllStateStores().get(TrainingTopology.WINDOWS)
        .persistent();
    if (models != pending || models != windows) {
      throw new IllegalStateException("stores of both kinds");
    }
    return models ? StoreKind.ROCKSDB : StoreKind.MEMORY;
  }

  /** Every prediction published since the last call. */
  public List<Prediction> readPredictions() {
    return decoded(predictions, ReleasedSchemas.predictions());
  }


  public void send(final String key, final byte[] value) {
    input.pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, time);
    time = time.plusMillis(1);
  }

  public Model model(final String key) {
    return store().get(key);
  }

  /** A key's stored race as of its last commit, or null. */
  RaceSerde.Stored race(final String key) {
    return ((ModelStore) driver.getAllStateStores().get(TrainingTopology.STORE)).race(key);
  }

  /** Every change of champion published since the last call. */
  List<Champion> readChampions() {
    return decoded(champions, Champion.getDecoder());
  }


  /** The store as interactive queries see it: every model as of its last commit. */
  ReadOnlyKeyValueStore<String, Model> store() {
    return (ModelStore) driver.getAllStateStores().get(TrainingTopology.STORE);
  }

  List<TrainingMetric> readMetrics() {
    return decoded(metrics, ReleasedSchemas.trainingMetrics());
  }

  /** Every record of {@code topic} since the last call, decoded. */
  private static <T> List<T> decoded(final TestOutputTopic<byte[], byte[]> topic,
      final MessageDecoder<T> decoder) {
    final List<T> out = new ArrayList<>();
    for (final TestRecord<byte[], byte[]> r : topic.readRecordsToList()) {
      try {
        out.add(decoder.decode(r.value()));
      } catch (final IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }


  static String header(final TestRecord<byte[], byte[]> record, final String name) {
    final Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    driver.close();
    EmbeddedKafka.deleteRecursively(stateDir);
  }
}
