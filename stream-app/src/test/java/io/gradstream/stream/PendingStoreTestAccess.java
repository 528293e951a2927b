package io.gradstream.stream;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.InMemoryKeyValueStore;

/** A {@link PendingStore} over an in-memory store whose bytes a test can read. */
final class PendingStoreTestAccess {
  final Map<Bytes, byte[]> values = new TreeMap<>();
  final KeyValueStore<Bytes, byte[]> inner;
  final PendingStore store;

  PendingStoreTestAccess() {
    inner = new InMemoryKeyValueStore("pending") {
      @Override
      public void put(final Bytes key, final byte[] value) {
        super.put(key, value);
        if (value == null) {
          values.remove(key);
        } else {
          values.put(key, value);
        }
      }

      @Override
      public byte[] delete(final Bytes key) {
        values.remove(key);
        return super.delete(key);
      }
    };
    store = new PendingStore(inner);
  }
}
