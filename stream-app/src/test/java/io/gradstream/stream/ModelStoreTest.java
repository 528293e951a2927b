package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelAssert;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.Neuron;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.gradstream.metrics.TrainingMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The write-behind model store: what reaches the inner store and when, what a task that closes
 * without a commit loses, and that a bounded number of live models changes no result.
 */
class ModelStoreTest {
  private final ModelSpec spec = new ModelSpec(2, true, Activation.TANH, 0.1, null, 0.0);
  private final Neuron neuron = new Neuron(spec);
  private final StepResult step = new StepResult();
  private final Random random = new Random(3);
  private KeyValueStore<Bytes, byte[]> inner;

  private ModelStore open(final long budget) {
    inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TrainingTopology.STORE),
        Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
    final ModelStore store = new ModelStore(inner, budget, new ModelSerde(spec.stepSettings()),
        new SettingsGuard(spec, OnSettingsChange.REFUSE,
            new TrainingMeters(new SimpleMeterRegistry(), 0)));
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    return store;
  }

  /** The live entry of {@code key}, from memory or loaded from the inner store; null if none. */
  private static ModelStore.Live live(final ModelStore store, final String key) {
    final byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    final ModelStore.Live known = store.live(bytes);
    return known != null ? known : store.load(bytes, key);
  }

  private static Model model(final ModelStore store, final String key) {
    final ModelStore.Live live = live(store, key);
    return live == null ? null : live.model;
  }

  /** One event for {@code key}, as the processor trains it; returns the live model. */
  private Model train(final ModelStore store, final String key) {
    ModelStore.Live live = live(store, key);
    final Model model = live != null ? live.model : neuron.newModel();
    assertThat(neuron.learn(model, new double[] {random.nextGaussian(), random.nextGaussian()},
        random.nextGaussian(), step)).isEqualTo(Verdict.TRAINED);
    if (live == null) {
      live = store.add(key.getBytes(StandardCharsets.UTF_8), key, model);
    }
    store.trained(live);
    return model;
  }

  private byte[] stored(final String key) {
    return inner.get(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void stepsReachTheInnerStoreAtTheFlushThatPrecedesEachCommit() {
    final ModelStore store = open(Long.MAX_VALUE);
    train(store, "a");
    train(store, "a");
    assertThat(stored("a")).isNull();
    assertThat(store.get("a")).as("queries see committed models only").isNull();

    final Model live = train(store, "a");
    store.flushCache();
    assertThat(ModelSerde.reader().fromBytes(stored("a")).count()).isEqualTo(3);
    ModelAssert.assertBitIdentical("queried after the flush", store.get("a"), live);
    assertThat(model(store, "a")).as("the live model stays live").isSameAs(live);
  }

  @Test
  void aTaskClosedWithoutACommitStartsAgainFromWhatWasFlushed() {
    final ModelStore store = open(Long.MAX_VALUE);
    train(store, "a");
    store.flushCache();
    final byte[] committed = stored("a");
    train(store, "a");
    train(store, "b");

    store.clearCache(); // what Kafka Streams does before a task is recycled; close() does it too
    store.flushCache();
    assertThat(stored("a")).isEqualTo(committed);
    assertThat(stored("b")).isNull();
    assertThat(model(store, "a").count()).isEqualTo(1);
    assertThat(model(store, "b")).isNull();
  }

  @Test
  void modelsBeyondTheLiveBoundAreWrittenBackAndReloadedWithoutChangingAnyResult() {
    final ModelStore unbounded = open(Long.MAX_VALUE);
    final ModelStore bounded = open(2 * footprint());
    for (int i = 0; i < 500; i++) {
      final String key = "m" + random.nextInt(7);
      final long seed = random.nextLong();
      random.setSeed(seed);
      train(bounded, key);
      random.setSeed(seed);
      train(unbounded, key);
      if (i == 20) {
        assertThat(inner.approximateNumEntries()).as("evicted before any flush").isPositive();
      }
      if (i % 50 == 49) {
        bounded.flushCache();
      }
    }
    bounded.flushCache();
    for (int k = 0; k < 7; k++) {
      ModelAssert.assertBitIdentical("m" + k, bounded.get("m" + k), model(unbounded, "m" + k));
    }
  }

  /** What a live key of this spec holds once trained, keyed by two bytes. */
  private long footprint() {
    final ModelStore store = open(Long.MAX_VALUE);
    train(store, "m0");
    return store.liveBytes();
  }

  @Test
  void theLiveModelsStayWithinTheirBudgetEachCountedAtWhatItHolds() {
    final long one = footprint();
    assertThat(one).as("a two-feature model, its entry and key").isEqualTo(
        32 + 24 + 40 + 8 + 24 + 2 * 24 + 80 + (16 + 8 * 2));
    final ModelStore store = open(10 * one + one / 2);
    for (int i = 0; i < 30; i++) {
      train(store, "m" + (i % 15));
      assertThat(store.liveBytes()).isLessThanOrEqualTo(10 * one + one / 2);
    }
    assertThat(store.liveBytes()).isEqualTo(10 * one);
    assertThat(store.live("m14".getBytes(StandardCharsets.UTF_8))).isNotNull();
    assertThat(store.live("m4".getBytes(StandardCharsets.UTF_8))).as("the eldest dropped").isNull();
    assertThat(stored("m4")).as("written back as it was dropped").isNotNull();

    final ModelStore tiny = open(1);
    train(tiny, "a");
    train(tiny, "b");
    assertThat(tiny.live("b".getBytes(StandardCharsets.UTF_8))).as("the newest always stays")
        .isNotNull();
    assertThat(tiny.live("a".getBytes(StandardCharsets.UTF_8))).isNull();
    tiny.flushCache();
    assertThat(tiny.liveBytes()).isEqualTo(footprint());
  }

  @Test
  void theLiveBudgetIsTheStreamsCacheBudgetOverItsThreads() {
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "t");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    assertThat(TrainingTopology.liveBudget(new StreamsConfig(props))).isEqualTo(10L << 20);
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(64L << 20));
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
    assertThat(TrainingTopology.liveBudget(new StreamsConfig(props))).isEqualTo(32L << 20);
  }
}
