package io.gradstream.query;

import io.gradstream.learn.Model;
import io.gradstream.stream.TrainingTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads models with Kafka Streams interactive queries. A key lives in the store of the instance
 * whose task owns its partition; when that is another instance (known from the Streams metadata
 * and the {@code application.server} each instance advertises), the model is fetched from it. An
 * instance that advertises no address answers from its own store only.
 */
public final class StoreModelLookup implements ModelLookup {
  private final KafkaStreams streams;
  private final HostInfo self;
  private final Peers peers;

  /**
   * @param self this instance's {@code application.server}, or null when it has none
   * @param peers how the other instances are asked for their models
   */
  public StoreModelLookup(final KafkaStreams streams, final HostInfo self, final Peers peers) {
    this.streams = streams;
    this.self = self;
    this.peers = peers;
  }

  @Override
  public Optional<Model> find(final String key, final boolean localOnly)
      throws UnavailableException {
    if (!localOnly && self != null) {
      final KeyQueryMetadata where = streams.queryMetadataForKey(TrainingTopology.STORE, key,
          Serdes.String().serializer());
      if (where == null || where.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
        throw new UnavailableException("no instance holds the models' partition for '" + key
            + "' right now (rebalancing)", null);
      }
      if (!where.activeHost().equals(self)) {
        return peers.find(where.activeHost().host(), where.activeHost().port(), key);
      }
    }
    try {
      return Optional.ofNullable(store().get(key));
    } catch (final InvalidStateStoreException e) {
      throw unavailable(e);
    }
  }

  @Override
  public Keys keys(final boolean localOnly) throws UnavailableException {
    final TreeSet<String> keys = new TreeSet<>();
    try (KeyValueIterator<String, Model> all = store().all()) {
      all.forEachRemaining(kv -> keys.add(kv.key));
    } catch (final InvalidStateStoreException e) {
      throw unavailable(e);
    }
    if (localOnly || self == null) {
      return Keys.complete(new ArrayList<>(keys));
    }
    final List<String> others = new ArrayList<>();
    for (final StreamsMetadata other : otherInstances()) {
      others.add(other.hostInfo().host() + ":" + other.hostInfo().port());
    }
    final Keys theirs = peers.keys(others);
    keys.addAll(theirs.keys());
    return new Keys(new ArrayList<>(keys), theirs.unanswered());
  }

  private List<StreamsMetadata> otherInstances() {
    final List<StreamsMetadata> others = new ArrayList<>();
    for (final StreamsMetadata m : streams.metadataForAllStreamsClients()) {
      if (!m.hostInfo().equals(self) && m.stateStoreNames().contains(TrainingTopology.STORE)) {
        others.add(m);
      }
    }
    return others;
  }

  private ReadOnlyKeyValueStore<String, Model> store() throws UnavailableException {
    try {
      return streams.store(StoreQueryParameters.fromNameAndType(TrainingTopology.STORE,
          QueryableStoreTypes.keyValueStore()));
    } catch (final InvalidStateStoreException e) {
      throw unavailable(e);
    }
  }

  private static UnavailableException unavailable(final InvalidStateStoreException e) {
    return new UnavailableException("the model store is not queryable now: " + e.getMessage(), e);
  }
}
