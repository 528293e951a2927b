package io.gradstream.stream;

import io.gradstream.events.AvroEventDecoder;
import io.gradstream.events.EventEncoder;
import io.gradstream.events.EventFields;
import io.gradstream.learn.Activation;
import io.gradstream.learn.ModelSpec;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.step.LabelTtl;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The processor's whole work for one event, without Kafka: decode the Avro value, check it, find
 * the live model in the {@link ModelStore}, step it, encode and forward the metric, record the
 * meters; every 4,096 events the store writes each touched model back (serde and an in-memory
 * inner store), as before a commit. {@code kind}, as in {@code gradstream bench --kind}: training
 * events; predictions without an id; predictions with an id (each kept pending); or predictions
 * and their labels in turn (a pair's cost is twice the time shown). The models are trained first.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProcessorBenchmark {
  @Param({"1", "100"})
  int features;

  @Param({"1", "10000"})
  int keys;

  @Param({"train", "predict", "predict-pending", "predict-label"})
  String kind;

  private TrainingProcessor processor;
  private ModelStore store;
  private MockProcessorContext<byte[], byte[]> context;
  private Record<byte[], byte[]>[] records;
  private int next;

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() {
    final ModelSpec spec = new ModelSpec(features, true, Activation.SIGMOID, 0.01, null, 0.0);
    final TrainingMeters meters = new TrainingMeters(
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 20);
    processor = new TrainingProcessor(spec, LabelTtl.defaults(),
        new AvroEventDecoder(), meters);
    context = new MockProcessorContext<>();
    final KeyValueStore<Bytes, byte[]> inner = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(TrainingTopology.STORE), Serdes.Bytes(), Serdes.ByteArray())
        .withLoggingDisabled().build();
    store = new ModelStore(inner, 64L << 20, new ModelSerde(spec.stepSettings()),
        new SettingsGuard(spec, OnSettingsChange.REFUSE, meters));
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    final KeyValueStore<Bytes, byte[]> pending = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(TrainingTopology.PENDING), Serdes.Bytes(),
        Serdes.ByteArray()).withLoggingDisabled().build();
    pending.init(context.getStateStoreContext(), pending);
    context.addStateStore(pending);
    context.setRecordMetadata("training-events", 0, 0);
    processor.init(context);
    final EventEncoder training = EventEncoder.avro();
    for (int k = 0; k < keys; k++) {
      processor.process(new Record<>(("model-" + k).getBytes(StandardCharsets.UTF_8),
          training.encode(new double[features], 0.5), 0L));
    }
    store.flushCache();
    context.resetForwards();

    final Random random = new Random(1);
    final EventEncoder avro = EventEncoder.avro();
    records = new Record[4096];
    for (int i = 0; i < records.length; i++) {
      final double[] x = new double[features];
      for (int j = 0; j < features; j++) {
        x[j] = random.nextGaussian();
      }
      final boolean label = kind.equals("predict-label") && i % 2 == 1;
      final byte[] key = label ? records[i - 1].key()
          : ("model-" + random.nextInt(keys)).getBytes(StandardCharsets.UTF_8);
      final EventFields event = new EventFields();
      event.x = x;
      event.d = random.nextDouble();
      event.hasLabel = kind.equals("train");
      event.eventTime = i;
      if (kind.equals("predict-label")) {
        event.id = "p" + i / 2;
        if (label) {
          event.x = null;
          event.hasLabel = true;
        }
      } else if (kind.equals("predict-pending")) {
        event.id = "p" + i;
      }
      records[i] = new Record<>(key, avro.encode(event), 0L);
    }
  }

  @Benchmark
  public void processOneEvent() {
    processor.process(records[next]);
    next = (next + 1) & (records.length - 1);
    if (next == 0) {
      store.flushCache(); // as before a commit: every touched model written once
    }
    context.resetForwards();
  }
}
