package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.Activation;
import io.gradstream.learn.HashedLearner;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.HashedVector;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.metrics.TrainingMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The live models' footprint, by which the model store keeps as many keys live as its budget
 * holds, against the heap the JVM itself measures after a full collection: 20,000 live keys of
 * each shape, each estimate within 5% of what they took.
 */
class LiveFootprintTest {
  private static final int KEYS = 20_000;
  private static final double TOLERANCE = 0.05;
  private final Random random = new Random(5);
  private final StepResult step = new StepResult();

  @Test
  void aOneFeatureModel() throws Exception {
    final ModelSpec spec = new ModelSpec(1, true, Activation.IDENTITY, 0.01, null, 0);
    assertEstimateNearHeap("one feature, SGD", spec, null, false, 7);
  }

  @Test
  void aJudgedModelHoldsItsWindowsHead() throws Exception {
    final ModelSpec spec = new ModelSpec(1, true, Activation.IDENTITY, 0.01, null, 0);
    final long judged = assertEstimateNearHeap("judged", spec, EvaluationSpec.defaults(), false,
        7);
    final long served = assertEstimateNearHeap("judged, served", spec, EvaluationSpec.defaults(),
        true, 7);
    assertThat(served - judged).as("the served totals, window and head")
        .isEqualTo(56 + 48 + 16 + 8 * 32);
  }

  @Test
  void anAdamModelWithADetector() throws Exception {
    final ModelSpec spec = new ModelSpec(10, true, Activation.SIGMOID, 0.01, null, 0,
        Loss.LOGISTIC, OptimizerSettings.of(OptimizerKind.ADAM));
    assertEstimateNearHeap("adam, 10 features, page-hinkley", spec,
        new EvaluationSpec(1000, DriftSettings.of(DriftSettings.PAGE_HINKLEY, false)), true, 37);
  }

  @Test
  void aNetwork() throws Exception {
    final ModelSpec spec = new ModelSpec(4, false, Activation.IDENTITY, 0.01, null, 0,
        Loss.SQUARED, OptimizerSettings.sgd(),
        HiddenLayers.of(new int[] {8}, Activation.TANH, HiddenLayers.DEFAULT_SEED));
    assertEstimateNearHeap("network 4-8-1", spec, null, false, 7);
  }

  @Test
  void aHashedModelHoldsTheCoordinatesItTouched() throws Exception {
    final ModelSpec spec = new ModelSpec(1 << 18, true, Activation.SIGMOID, 0.01, null, 0,
        Loss.LOGISTIC, OptimizerSettings.of(OptimizerKind.ADAGRAD), HiddenLayers.NONE,
        FeatureHashing.of(18));
    assertEstimateNearHeap("hashed, adagrad, 37 coordinates", spec, null, false, 37);
  }

  /** Returns the estimate per key. */
  private long assertEstimateNearHeap(final String shape, final ModelSpec spec,
      final EvaluationSpec evaluation, final boolean served, final int events) throws Exception {
    final ModelStore store = new ModelStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TrainingTopology.STORE),
            Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build(),
        Long.MAX_VALUE, new ModelSerde(spec.stepSettings()),
        new SettingsGuard(spec, OnSettingsChange.REFUSE,
            new TrainingMeters(new SimpleMeterRegistry(), 0)));
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    final Supplier<Model> trained = trainer(spec, evaluation, served, events);
    trained.get(); // the learners' and evaluation's first allocations are not the keys'
    final long before = usedHeapAfterGc();
    for (int i = 0; i < KEYS; i++) {
      final String key = "key-" + (100_000 + i);
      store.add(key.getBytes(StandardCharsets.UTF_8), key, trained.get());
    }
    final long heap = usedHeapAfterGc() - before;
    final long estimate = store.liveBytes();
    System.out.printf("%s: %d bytes a key estimated, %d measured%n", shape, estimate / KEYS,
        heap / KEYS);
    assertThat((double) estimate).as(shape + ": the live keys' estimate against the heap")
        .isBetween(heap * (1 - TOLERANCE), heap * (1 + TOLERANCE));
    store.clearCache();
    return estimate / KEYS;
  }

  /**
   * Models of {@code spec}, each trained on {@code events} events: 7 fill a window's head, 37 two
   * full segments as well, held until a flush would write them.
   */
  private Supplier<Model> trainer(final ModelSpec spec, final EvaluationSpec evaluation,
      final boolean served, final int events) {
    final EvaluationKind kind = EvaluationKind.of(spec.loss());
    if (spec.hashBits() == 0) {
      final Learner learner = Learner.of(spec);
      final double[] x = new double[spec.features()];
      return () -> {
        final Model model = judged(learner.newModel(), evaluation, kind);
        for (int e = 0; e < events; e++) {
          for (int j = 0; j < x.length; j++) {
            x[j] = random.nextGaussian();
          }
          final double d = random.nextInt(2);
          assertThat(learner.learn(model, x, d, step)).isEqualTo(Verdict.TRAINED);
          judge(model, d, served);
        }
        return model;
      };
    }
    final HashedLearner learner = HashedLearner.of(spec);
    final HashedVector x = new HashedVector();
    return () -> {
      final Model model = judged(learner.newModel(), evaluation, kind);
      for (int e = 0; e < events; e++) {
        x.clear();
        x.add(random.nextInt(1 << 18), 1.0);
        final double d = random.nextInt(2);
        assertThat(learner.learn(model, x.canonical(), d, step)).isEqualTo(Verdict.TRAINED);
        judge(model, d, served);
      }
      return model;
    };
  }

  private static Model judged(final Model model, final EvaluationSpec evaluation,
      final EvaluationKind kind) {
    return evaluation == null ? model : model.judgedBy(evaluation.fresh(kind));
  }

  private void judge(final Model model, final double d, final boolean served) {
    if (model.evaluation() != null) {
      model.evaluation().learned(served ? 0.5 : Double.NaN, step, d, model.count());
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used,
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
