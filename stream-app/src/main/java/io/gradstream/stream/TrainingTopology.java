package io.gradstream.stream;

import io.gradstream.events.EventDecoder;
import io.gradstream.learn.ModelSpec;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.state.Stores;

/**
 * The whole stream: events in, one processor holding every model in a {@link ModelStore} and the
 * predictions that wait for labels in a second store, training metrics, predictions and dead
 * letters out; in a race ({@link RaceProcessor}), each key's variants in one stored value and
 * each change of champion out. Keys and values stay bytes until the processor, so that no
 * record can fail outside it and a dead letter carries exactly the bytes that arrived.
 */
public final class TrainingTopology {
  public static final String STORE = "models";
  /** Predictions with an id, waiting for their labels. */
  public static final String PENDING = "pending-predictions";
  /** The full segments of the models' evaluation windows. */
  public static final String WINDOWS = "windows";
  static final String SOURCE = "training-events";
  static final String PROCESSOR = "train";
  static final String METRICS_SINK = "training-metrics";
  static final String DLQ_SINK = "dead-letters";
  static final String PREDICTIONS_SINK = "training-predictions";
  static final String DRIFTS_SINK = "training-drifts";
  static final String CHAMPIONS_SINK = "training-champions";

  private TrainingTopology() {}

  /** With a network's metrics in summary. */
  public static Topology build(final TopicNames topics, final InputFormat format,
      final ModelSpec spec, final LabelTtl labelTtl, final OnSettingsChange onSettingsChange,
      final TrainingMeters meters, final Properties streamsConfig) {
    return build(topics, format, spec, EventRules.of(labelTtl), onSettingsChange,
        MetricsDetail.SUMMARY, meters, streamsConfig);
  }

  /** With one model per key. */
  public static Topology build(final TopicNames topics, final InputFormat format,
      final ModelSpec spec, final EventRules rules, final OnSettingsChange onSettingsChange,
      final MetricsDetail detail, final TrainingMeters meters, final Properties streamsConfig) {
    return build(topics, RecordFormats.of(format), spec, rules, null, onSettingsChange, detail,
        StoreKind.ROCKSDB, meters, streamsConfig);
  }

  /**
   * @param formats how events are read and the records written are framed
   * @param race the race each key runs; null for one model per key ({@code spec}'s)
   * @param onSettingsChange what becomes of a stored model whose settings differ from {@code spec}
   * @param streamsConfig the application's Kafka Streams properties (the topology reads its own
   *     settings from them)
   * @param detail how much of a network each training metric carries
   * @param stores where the models, pending predictions and window segments are kept
   */
  public static Topology build(final TopicNames topics, final RecordFormats formats,
      final ModelSpec spec, final EventRules rules, final RaceSetup race,
      final OnSettingsChange onSettingsChange, final MetricsDetail detail, final StoreKind stores,
      final TrainingMeters meters, final Properties streamsConfig) {
    final Supplier<EventDecoder> decoders = formats.decoders();
    final StreamsConfig config = new StreamsConfig(streamsConfig);
    final SettingsGuard guard = new SettingsGuard(spec, onSettingsChange, meters);
    final ModelStoreBuilder store = new ModelStoreBuilder(stores.supplier(STORE),
        liveBudget(config), spec, guard,
        race == null ? null : race.spec(),
        new RaceGuard(race == null ? null : race.spec(), guard, onSettingsChange, meters));

    final Topology topology = new Topology(new TopologyConfig(config));
    topology.addSource(SOURCE, Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer(), topics.input());
    topology.addProcessor(PROCESSOR, race == null
        ? () -> new TrainingProcessor(spec, rules, decoders.get(), meters, detail,
            formats.framing())
        : () -> new RaceProcessor(race.spec(), race.rules(), decoders.get(), meters, detail,
            formats.framing()),
        SOURCE);
    topology.addStateStore(store, PROCESSOR);
    // not cached: Kafka Streams' record cache costs more than it saves here (a put, an eviction
    // and a flush per prediction when labels come late; BENCHMARKS.md)
    topology.addStateStore(Stores.keyValueStoreBuilder(stores.supplier(PENDING),
        Serdes.Bytes(), Serdes.ByteArray()).withCachingDisabled(), PROCESSOR);
    // written once per segment of 16 samples, at the commit: the model store is its cache
    topology.addStateStore(Stores.keyValueStoreBuilder(stores.supplier(WINDOWS),
        Serdes.Bytes(), Serdes.ByteArray()).withCachingDisabled(), PROCESSOR);
    topology.addSink(METRICS_SINK, topics.metrics(), Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer(), PROCESSOR);
    topology.addSink(DLQ_SINK, topics.deadLetters(), Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer(), PROCESSOR);
    topology.addSink(PREDICTIONS_SINK, topics.predictions(), Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer(), PROCESSOR);
    topology.addSink(DRIFTS_SINK, topics.drifts(), Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer(), PROCESSOR);
    if (race != null) {
      topology.addSink(CHAMPIONS_SINK, topics.champions(), Serdes.ByteArray().serializer(),
          Serdes.ByteArray().serializer(), PROCESSOR);
    }
    return topology;
  }

  /**
   * How many bytes of heap each task's live models may hold: Kafka Streams' cache budget ({@code
   * statestore.cache.max.bytes}, shared by the stream threads), each key counted at the heap its
   * models hold ({@link LiveFootprint}: about 300 bytes for a one-feature model, 740 judged with a
   * window, 1,110 once it serves predictions too). With the service's 64 MiB that keeps about
   * 220,000 one-feature models live per task, 90,000 judged.
   */
  static long liveBudget(final StreamsConfig config) {
    return config.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG)
        / Math.max(1, config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
  }
}
