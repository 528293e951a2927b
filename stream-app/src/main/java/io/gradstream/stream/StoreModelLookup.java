package io.gradstream.stream;

import io.gradstream.http.ModelLookup;
import io.gradstream.learn.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads models from this instance's state store (Kafka Streams interactive queries). */
public final class StoreModelLookup implements ModelLookup {
  private final KafkaStreams streams;

  public StoreModelLookup(final KafkaStreams streams) {
    this.streams = streams;
  }

  @Override
  public Optional<Model> find(final String key) throws UnavailableException {
    try {
      return Optional.ofNullable(store().get(key));
    } catch (final InvalidStateStoreException e) {
      throw new UnavailableException("the model store is not queryable now: " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> keys() throws UnavailableException {
    final List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, Model> all = store().all()) {
      while (all.hasNext()) {
        final KeyValue<String, Model> next = all.next();
        keys.add(next.key);
      }
    } catch (final InvalidStateStoreException e) {
      throw new UnavailableException("the model store is not queryable now: " + e.getMessage(), e);
    }
    keys.sort(null);
    return keys;
  }

  private ReadOnlyKeyValueStore<String, Model> store() throws UnavailableException {
    try {
      return streams.store(StoreQueryParameters.fromNameAndType(TrainingTopology.STORE,
          QueryableStoreTypes.keyValueStore()));
    } catch (final InvalidStateStoreException e) {
      throw new UnavailableException("the model store is not queryable now: " + e.getMessage(), e);
    }
  }
}
