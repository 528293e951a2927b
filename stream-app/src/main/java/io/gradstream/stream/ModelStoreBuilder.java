package io.gradstream.stream;

import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.race.RaceSpec;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds a {@link ModelStore} over a logged, uncached store of bytes (RocksDB or in memory, see
 * {@link StoreKind}), so the changelog topic ({@code <application.id>-models-changelog}) and its
 * contents stay those of a plain key-value store of model bytes. Kafka Streams' record cache is
 * never added: the model store is the cache.
 */
final class ModelStoreBuilder implements StoreBuilder<ModelStore> {
  private final StoreBuilder<KeyValueStore<Bytes, byte[]>> inner;
  /** The heap each task's live models may hold, in bytes. */
  private final long liveBudget;
  private final ModelSpec spec;
  private final SettingsGuard guard;
  private final RaceSpec race;
  private final RaceGuard raceGuard;

  /**
   * @param race the race each key runs; null for one model per key
   * @param raceGuard what becomes of a stored race, or of a stored model under a race
   */
  ModelStoreBuilder(final KeyValueBytesStoreSupplier bytes, final long liveBudget,
      final ModelSpec spec, final SettingsGuard guard, final RaceSpec race,
      final RaceGuard raceGuard) {
    if (liveBudget < 0) {
      throw new IllegalArgumentException("the live models' budget must be 0 or more bytes, got "
          + liveBudget);
    }
    this.inner = Stores.keyValueStoreBuilder(bytes, Serdes.Bytes(), Serdes.ByteArray())
        .withCachingDisabled();
    this.liveBudget = liveBudget;
    this.spec = spec;
    this.guard = guard;
    this.race = race;
    this.raceGuard = raceGuard;
  }

  @Override
  public ModelStore build() {
    return new ModelStore(inner.build(), liveBudget, new ModelSerde(spec.stepSettings()), guard,
        race == null ? null : new RaceSerde(race), raceGuard);
  }

  /** The model store is itself the cache; Kafka Streams' record cache is never stacked on it. */
  @Override
  public StoreBuilder<ModelStore> withCachingEnabled() {
    return this;
  }

  @Override
  public StoreBuilder<ModelStore> withCachingDisabled() {
    return this;
  }

  @Override
  public StoreBuilder<ModelStore> withLoggingEnabled(final Map<String, String> config) {
    inner.withLoggingEnabled(config);
    return this;
  }

  /** The changelog is what makes a model survive its instance: it cannot be turned off. */
  @Override
  public StoreBuilder<ModelStore> withLoggingDisabled() {
    throw new UnsupportedOperationException("the model store is always logged");
  }

  @Override
  public Map<String, String> logConfig() {
    return inner.logConfig();
  }

  @Override
  public boolean loggingEnabled() {
    return inner.loggingEnabled();
  }

  @Override
  public String name() {
    return inner.name();
  }
}
