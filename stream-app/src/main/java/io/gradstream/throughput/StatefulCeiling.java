package io.gradstream.throughput;

import java.util.Arrays;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The fair bound for gradstream: the cheapest exactly-once stateful Kafka Streams application
 * that does per event what gradstream must at the least. Processor API, one persistent
 * (RocksDB, logged) store with Kafka Streams' record cache: read the key's value (one the size of
 * gradstream's stored model), change it, write it back, and forward one record the size of the
 * input. Its cost is Kafka's: decoding nothing, learning nothing.
 */
final class StatefulCeiling {
  static final String STORE = "ceiling";

  private StatefulCeiling() {}

  /** @param valueBytes the stored value's size: gradstream's stored model's for the setup */
  static Topology topology(final String input, final String output, final int valueBytes) {
    final Topology topology = new Topology();
    topology.addSource("in", Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer(), input);
    topology.addProcessor("state", () -> new Step(valueBytes), "in");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
        Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled(), "state");
    topology.addSink("out", output, Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer(), "state");
    return topology;
  }

  /** Get, change, put, forward: one event. */
  static final class Step implements Processor<byte[], byte[], byte[], byte[]> {
    private final int valueBytes;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<Bytes, byte[]> store;

    Step(final int valueBytes) {
      this.valueBytes = valueBytes;
    }

    @Override
    public void init(final ProcessorContext<byte[], byte[]> context) {
      this.context = context;
      this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
      final Bytes key = Bytes.wrap(record.key());
      final byte[] stored = store.get(key);
      // a new array each time, as a serializer makes one: the cache keeps what it is given
      final byte[] value = stored == null ? new byte[valueBytes]
          : Arrays.copyOf(stored, stored.length);
      value[0]++;
      store.put(key, value);
      context.forward(record);
    }
  }
}
