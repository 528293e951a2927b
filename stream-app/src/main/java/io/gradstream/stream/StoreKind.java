package io.gradstream.stream;

import java.util.Locale;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Where a task keeps its models, pending predictions and window segments between commits. Both
 * kinds are logged to the same changelog topics with the same records, so an application can move
 * from one to the other between runs: the new kind restores from the changelog.
 */
public enum StoreKind {
  /** On disk in RocksDB: models beyond the heap's live budget are read back from it. */
  ROCKSDB,
  /**
   * In the heap: no disk reads or writes, but every stored byte is on the heap and a task's whole
   * changelog is read again at each start, since nothing survives the process.
   */
  MEMORY;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the values when {@code text} is none of them */
  public static StoreKind parse(final String text) {
    for (final StoreKind kind : values()) {
      if (kind.id().equals(text)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("store must be rocksdb or memory, got '" + text + "'");
  }

  KeyValueBytesStoreSupplier supplier(final String name) {
    return this == MEMORY
        ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
  }
}
