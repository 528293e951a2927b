package io.gradstream.stream;

import io.gradstream.learn.Model;
import io.gradstream.learn.race.RaceStanding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * The models of one task: live {@link Model} objects in memory, written behind to a logged
 * persistent store once per commit.
 *
 * <p>Kafka Streams' own record cache would serialize a model on every put, deserialize it on every
 * get and keep it in a sorted map of byte keys; with thousands of keys those lookups cost more than
 * the learning. Here the stream thread finds the live model by the record's key bytes (a known
 * key is neither decoded nor copied), steps it in place and only marks it dirty. Before
 * each commit Kafka Streams calls {@link #flushCache()}, which writes every dirty model once to the
 * inner store (RocksDB and its changelog, inside the commit's transaction) — the same point at
 * which its record cache flushes, so exactly-once holds as it does with that cache. A task closed
 * without a commit (a crash, a fenced producer, an aborted transaction) drops the live models with
 * {@link #close()}; Kafka Streams then restores the inner store from the changelog and
 * {@link #init} starts from it.
 *
 * <p>Interactive queries ({@link ReadOnlyKeyValueStore}, from HTTP threads) read the inner store
 * only, so they see each model as of its last flush, never one that is half-way through a step.
 *
 * <p>{@link CachedStateStore} is an internal Kafka Streams interface (4.3): it is how the state
 * manager finds the stores to flush before a commit. If a Kafka upgrade stopped calling it, no
 * model would reach the inner store, and the topology tests, which read the store, would fail.
 */
final class ModelStore
    implements StateStore, ReadOnlyKeyValueStore<String, Model>, CachedStateStore<byte[], byte[]> {
  /** How many times a query reads a model whose window segments were being written. */
  private static final int READ_TRIES = 3;

  private final KeyValueStore<Bytes, byte[]> inner;
  /** The heap the live keys may hold, in bytes (see {@link LiveFootprint}). */
  private final long budget;
  private final ModelSerde serde;
  private final SettingsGuard guard;
  /** Writes a race; null when the service trains one model per key. */
  private final RaceSerde raceSerde;
  private final RaceGuard raceGuard;
  private final LiveModels live = new LiveModels();
  private final List<Live> dirty = new ArrayList<>();
  /** The windows store of the same task; null until the processor hands it over. */
  private KeyValueStore<Bytes, byte[]> windowStore;
  private WindowSegments windows;

  /**
   * @param inner the logged persistent store that holds the models as bytes
   * @param budget how many bytes of heap the live models may hold (see {@link LiveFootprint});
   *     beyond that the least recently used are written to the inner store if they changed, and
   *     dropped (the newest always stays)
   * @param serde writes each model with the running settings
   * @param guard decides what becomes of a stored model whose settings differ from the running ones
   */
  ModelStore(final KeyValueStore<Bytes, byte[]> inner, final long budget, final ModelSerde serde,
      final SettingsGuard guard) {
    this(inner, budget, serde, guard, null, null);
  }

  /**
   * @param raceSerde writes each key's race; null when the service trains one model per key
   * @param raceGuard decides what becomes of a stored race, or of a stored model under a race
   */
  ModelStore(final KeyValueStore<Bytes, byte[]> inner, final long budget, final ModelSerde serde,
      final SettingsGuard guard, final RaceSerde raceSerde, final RaceGuard raceGuard) {
    this.inner = inner;
    this.budget = budget;
    this.serde = serde;
    this.guard = guard;
    this.raceSerde = raceSerde;
    this.raceGuard = raceGuard;
  }

  /**
   * Where the full segments of the models' evaluation windows are kept: written with each model,
   * read with it by interactive queries.
   */
  void windowsIn(final KeyValueStore<Bytes, byte[]> store) {
    this.windowStore = store;
    this.windows = new WindowSegments(store);
  }

  /** The heap the live models hold, by {@link LiveFootprint}, as last measured. */
  long liveBytes() {
    return live.bytes;
  }

  /** The model of {@code key} if it is live in memory, else null (nothing is read). */
  Live live(final byte[] key) {
    return live.get(Bytes.wrap(key));
  }

  /**
   * The stored model of {@code key}, made live; null if none is stored. A model stored under other
   * settings is reset or kept as the guard says, or refused with a {@link
   * SettingsMismatchException} (then nothing is made live).
   *
   * @param name the key as text, already checked to be UTF-8
   */
  Live load(final byte[] key, final String name) {
    final Bytes stored = Bytes.wrap(key);
    final byte[] bytes = inner.get(stored);
    if (bytes == null) {
      return null;
    }
    final Live entry;
    if (raceSerde != null) {
      final RacedModels raced = raceGuard.adopt(name, bytes);
      if (raced == null) {
        return null; // started again: the next write replaces it
      }
      entry = new Live(stored, name, null, raced);
    } else if (RaceSerde.isRace(bytes)) {
      final Model model = raceGuard.adoptOne(name, bytes);
      if (model == null) {
        return null;
      }
      entry = new Live(stored, name, model, null);
    } else {
      entry = new Live(stored, name, guard.adopt(name, serde.read(bytes)), null);
    }
    live.put(entry);
    return entry;
  }

  /** A model that is not stored yet, made live. */
  Live add(final byte[] key, final String name, final Model model) {
    final Live entry = new Live(Bytes.wrap(key), name, model, null);
    live.put(entry);
    return entry;
  }

  /** A race that is not stored yet, made live. */
  Live add(final byte[] key, final String name, final RacedModels race) {
    final Live entry = new Live(Bytes.wrap(key), name, null, race);
    live.put(entry);
    return entry;
  }

  /** {@code entry}'s key starts its race again (an operator's reset or set), at the commit. */
  Live replace(final Live entry, final RacedModels race) {
    deleteWindows(entry);
    entry.dirty = false;
    final Live fresh = add(entry.key.get(), entry.name, race);
    trained(fresh);
    return fresh;
  }

  /**
   * {@code entry}'s key gets {@code model} instead, written at the commit: an operator's reset or
   * set, whose fresh evaluation must not meet the old one's window segments, or a drift's reset,
   * which keeps its evaluation ({@code sameEvaluation}).
   */
  Live replace(final Live entry, final Model model, final boolean sameEvaluation) {
    if (!sameEvaluation) {
      deleteWindows(entry);
    }
    entry.dirty = false;
    final Live fresh = add(entry.key.get(), entry.name, model);
    trained(fresh);
    return fresh;
  }

  /** Removes {@code entry}'s model, live and stored: its deletion is in this commit's changelog. */
  void delete(final Live entry) {
    deleteWindows(entry);
    entry.dirty = false;
    live.remove(entry.key);
    inner.delete(entry.key);
  }

  /** The live model of {@code entry} was stepped: write it at the next commit. */
  void trained(final Live entry) {
    if (!entry.dirty) {
      entry.dirty = true;
      dirty.add(entry);
    }
  }

  private void deleteWindows(final Live entry) {
    if (windows == null) {
      return;
    }
    for (int v = 0; v < entry.models(); v++) {
      final Model model = entry.model(v);
      if (model != null && model.evaluation() != null) {
        windows.delete(windowKey(entry, v), model.evaluation().windowSlots());
      }
    }
  }

  /** The full window segments {@code entry}'s models filled since they were last written. */
  private void writeWindows(final Live entry) {
    if (windows == null) {
      return;
    }
    for (int v = 0; v < entry.models(); v++) {
      final Model model = entry.model(v);
      if (model != null && model.evaluation() != null) {
        windows.write(windowKey(entry, v), model.evaluation());
      }
    }
  }

  /**
   * The key the window segments of {@code entry}'s model {@code v} are kept under: the model's
   * key, or in a race the key, 0xFF and the variant (0xFF is no byte of UTF-8, so no other key
   * begins so).
   */
  private static byte[] windowKey(final Live entry, final int v) {
    return entry.race == null ? entry.key.get() : variantKey(entry.key.get(), v);
  }

  static byte[] variantKey(final byte[] key, final int v) {
    final byte[] variant = Arrays.copyOf(key, key.length + 2);
    variant[key.length] = (byte) 0xFF;
    variant[key.length + 1] = (byte) v;
    return variant;
  }

  private byte[] toBytes(final Live entry) {
    return entry.race != null ? raceSerde.toBytes(entry.race) : serde.toBytes(entry.model);
  }

  /**
   * Every model changed since the last flush, in one RocksDB write batch, each after the window
   * segments it filled.
   */
  @Override
  public void flushCache() {
    if (dirty.isEmpty()) {
      return;
    }
    final List<KeyValue<Bytes, byte[]>> changed = new ArrayList<>(dirty.size());
    for (final Live entry : dirty) {
      if (entry.dirty) {
        writeWindows(entry);
        changed.add(KeyValue.pair(entry.key, toBytes(entry)));
        entry.dirty = false;
        live.measure(entry); // its windows' heads may have been made, their segments released
      }
    }
    inner.putAll(changed);
    dirty.clear();
    live.trim();
  }

  @Override
  public void clearCache() {
    live.clear();
    dirty.clear();
  }

  @Override
  public boolean setFlushListener(final CacheFlushListener<byte[], byte[]> listener,
      final boolean sendOldValues) {
    return false;
  }

  private void writeBack(final Live entry) {
    writeWindows(entry);
    inner.put(entry.key, toBytes(entry));
    entry.dirty = false;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public void init(final StateStoreContext context, final StateStore root) {
    clearCache();
    inner.init(context, root);
  }

  @Override
  public void flush() {
    flushCache();
    inner.flush();
  }

  @Override
  public void commit(final Map<TopicPartition, Long> changelogOffsets) {
    inner.commit(changelogOffsets);
  }

  @Override
  public Long committedOffset(final TopicPartition partition) {
    return inner.committedOffset(partition);
  }

  @Override
  public boolean managesOffsets() {
    return inner.managesOffsets();
  }

  @Override
  public void close() {
    clearCache();
    inner.close();
  }

  @Override
  public boolean persistent() {
    return inner.persistent();
  }

  @Override
  public boolean isOpen() {
    return inner.isOpen();
  }

  @Override
  public Position getPosition() {
    return inner.getPosition();
  }

  @Override
  public <R> QueryResult<R> query(final Query<R> query, final PositionBound bound,
      final QueryConfig config) {
    return inner.query(query, bound, config);
  }

  // Interactive queries: the inner store, decoded with a serde of their own (other threads).

  /**
   * The stored model of {@code key}, with the window segments its evaluation reads; for a raced
   * key its serving variant's, carrying the whole race ({@link Model#race()}). The stream thread
   * may write a model and its segments between the two reads: then the segments' numbers do not
   * match and both are read again; after a few tries the window metrics are left out.
   */
  @Override
  public Model get(final String key) {
    final Bytes stored = utf8(key);
    for (int tries = 0; ; tries++) {
      final byte[] bytes = inner.get(stored);
      if (bytes == null) {
        return null;
      }
      if (RaceSerde.isRace(bytes)) {
        return standing(race(stored, bytes));
      }
      final Model model = ModelSerde.reader().fromBytes(bytes);
      if (tries == READ_TRIES || filled(model, stored.get())) {
        return model;
      }
    }
  }

  /** The serving variant's model of a stored race, carrying the race; null for none. */
  private static Model standing(final RaceSerde.Stored race) {
    if (race == null) {
      return null;
    }
    final int serving = race.servingVariant();
    final List<Model> models = new ArrayList<>();
    final double[] losses = new double[race.names().size()];
    for (int v = 0; v < losses.length; v++) {
      models.add(race.models().get(v) == null ? null : race.models().get(v).model());
      losses[v] = race.race().lossEwma(v);
    }
    return models.get(serving).inRace(new RaceStanding(race.names(), serving,
        race.race().events(), losses, models));
  }

  /**
   * The stored race of {@code key}, each variant's model with the window segments its evaluation
   * reads (read again as {@link #get} does); null when the key has no race.
   */
  RaceSerde.Stored race(final String key) {
    final Bytes stored = utf8(key);
    final byte[] bytes = inner.get(stored);
    return bytes == null || !RaceSerde.isRace(bytes) ? null : race(stored, bytes);
  }

  /** The race {@code bytes} hold as stored under {@code stored}, its windows read as above. */
  private RaceSerde.Stored race(final Bytes stored, final byte[] first) {
    byte[] bytes = first;
    for (int tries = 0; ; tries++) {
      final RaceSerde.Stored race = RaceSerde.read(bytes);
      boolean filled = true;
      for (int v = 0; v < race.models().size(); v++) {
        final ModelSerde.Stored model = race.models().get(v);
        filled &= model == null || filled(model.model(), variantKey(stored.get(), v));
      }
      if (filled || tries == READ_TRIES) {
        return race;
      }
      bytes = inner.get(stored);
      if (bytes == null || !RaceSerde.isRace(bytes)) {
        return null;
      }
    }
  }

  /**
   * Fills {@code model}'s evaluation windows from the segments under {@code windowKey}: false when
   * they were being written (their numbers do not match the model's), true when they fit or the
   * model has none.
   */
  private boolean filled(final Model model, final byte[] windowKey) {
    final KeyValueStore<Bytes, byte[]> segments = windowStore;
    return model.evaluation() == null || segments == null
        || model.evaluation().fill(new WindowSegments(segments).of(windowKey));
  }

  /** A stored value's model: the model, or a race's serving variant's, carrying the race. */
  private static Model model(final ModelSerde serde, final byte[] bytes) {
    return RaceSerde.isRace(bytes) ? standing(RaceSerde.read(bytes)) : serde.fromBytes(bytes);
  }

  @Override
  public KeyValueIterator<String, Model> range(final String from, final String to) {
    return decoded(inner.range(from == null ? null : utf8(from), to == null ? null : utf8(to)));
  }

  @Override
  public KeyValueIterator<String, Model> all() {
    return decoded(inner.all());
  }

  @Override
  public long approximateNumEntries() {
    return inner.approximateNumEntries();
  }

  private static Bytes utf8(final String key) {
    return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
  }

  private static KeyValueIterator<String, Model> decoded(
      final KeyValueIterator<Bytes, byte[]> stored) {
    final ModelSerde serde = ModelSerde.reader();
    return new KeyValueIterator<>() {
      @Override
      public boolean hasNext() {
        return stored.hasNext();
      }

      @Override
      public KeyValue<String, Model> next() {
        final KeyValue<Bytes, byte[]> kv = stored.next();
        return KeyValue.pair(new String(kv.key.get(), StandardCharsets.UTF_8),
            model(serde, kv.value));
      }

      @Override
      public String peekNextKey() {
        return new String(stored.peekNextKey().get(), StandardCharsets.UTF_8);
      }

      @Override
      public void close() {
        stored.close();
      }
    };
  }

  /**
   * One live key, its key as stored and as text, its model or race, and whether it changed since
   * the flush.
   */
  static final class Live {
    final Bytes key;
    final String name;
    /** The key's model; null in a race. */
    final Model model;
    /** The key's race; null when it has one model. */
    final RacedModels race;
    private boolean dirty;
    /** The heap it held when last measured ({@link LiveFootprint}). */
    private long footprint;

    private Live(final Bytes key, final String name, final Model model, final RacedModels race) {
      this.key = key;
      this.name = name;
      this.model = model;
      this.race = race;
    }

    int models() {
      return race == null ? 1 : race.variants();
    }

    Model model(final int v) {
      return race == null ? model : race.model(v);
    }
  }

  /**
   * The live keys, least recently used first, and the heap they hold; past the budget the eldest
   * are written back if they changed, and dropped. An entry is measured when it is made live and
   * again at each flush that writes it (a step can make a window's head), so the sum can exceed
   * the budget by what one commit's steps add until that flush trims it.
   */
  private final class LiveModels {
    private final LinkedHashMap<Bytes, Live> byKey = new LinkedHashMap<>(16, 0.75f, true);
    /** The sum of the live entries' footprints. */
    private long bytes;

    Live get(final Bytes key) {
      return byKey.get(key);
    }

    /** Makes {@code entry} live, the most recently used, in place of any entry of its key. */
    void put(final Live entry) {
      entry.footprint = LiveFootprint.of(entry.key.get().length, entry);
      final Live replaced = byKey.put(entry.key, entry);
      bytes += entry.footprint - (replaced == null ? 0 : replaced.footprint);
      trim();
    }

    /** Measures {@code entry}, which is live, again. */
    void measure(final Live entry) {
      final long now = LiveFootprint.of(entry.key.get().length, entry);
      bytes += now - entry.footprint;
      entry.footprint = now;
    }

    void remove(final Bytes key) {
      final Live removed = byKey.remove(key);
      if (removed != null) {
        bytes -= removed.footprint;
      }
    }

    void clear() {
      byKey.clear();
      bytes = 0;
    }

    /** Drops the eldest while the live keys hold more than the budget; the newest stays. */
    void trim() {
      if (bytes <= budget) {
        return; // the usual case: no iterator made
      }
      final Iterator<Live> eldest = byKey.values().iterator();
      while (bytes > budget && byKey.size() > 1) {
        final Live entry = eldest.next();
        if (entry.dirty) {
          writeBack(entry);
        }
        bytes -= entry.footprint;
        eldest.remove();
      }
    }
  }
}
