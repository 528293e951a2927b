package io.gradstream.stream;

import io.gradstream.events.AvroEventDecoder;
import io.gradstream.events.EventDecoder;
import io.gradstream.events.JsonEventDecoder;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.metrics.TrainingMeters;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The whole stream: training events in, one processor holding every model in a persistent store,
 * training metrics and dead letters out. Keys and values stay bytes until the processor, so that no
 * record can fail outside it and a dead letter carries exactly the bytes that arrived.
 */
public final class TrainingTopology {
  public static final String STORE = "models";
  static final String SOURCE = "training-events";
  static final String PROCESSOR = "train";
  static final String METRICS_SINK = "training-metrics";
  static final String DLQ_SINK = "dead-letters";

  private TrainingTopology() {}

  /**
   * @param streamsConfig the application's Kafka Streams properties (the topology reads its own
   *     settings from them)
   */
  public static Topology build(final TopicNames topics, final InputFormat format,
      final ModelSpec spec, final TrainingMeters meters, final Properties streamsConfig) {
    final Supplier<EventDecoder> decoders = format == InputFormat.JSON
        ? JsonEventDecoder::new : AvroEventDecoder::new;
    final StoreBuilder<KeyValueStore<String, Model>> store = Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STORE), Serdes.String(), new ModelSerde())
        .withCachingEnabled();

    final Topology topology = new Topology(new TopologyConfig(new StreamsConfig(streamsConfig)));
    topology.addSource(SOURCE, Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer(), topics.input());
    topology.addProcessor(PROCESSOR,
        () -> new TrainingProcessor(spec, decoders.get(), meters), SOURCE);
    topology.addStateStore(store, PROCESSOR);
    topology.addSink(METRICS_SINK, topics.metrics(), Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer(), PROCESSOR);
    topology.addSink(DLQ_SINK, topics.deadLetters(), Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer(), PROCESSOR);
    return topology;
  }
}
