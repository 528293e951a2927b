package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.Activation;
import io.gradstream.learn.HashedNetwork;
import io.gradstream.learn.HashedNeuron;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.features.HashedVector;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A model's most stored bytes, against the bytes of models that went as far as they can, and the
 * settings whose models Kafka could not carry, refused.
 */
class StoredModelBoundTest {
  private final Random random = new Random(9);

  private static ModelSpec network(final int features, final int units,
      final OptimizerKind kind) {
    return new ModelSpec(features, false, Activation.IDENTITY, 0.01, null, 0.0, Loss.SQUARED,
        OptimizerSettings.of(kind), HiddenLayers.of(new int[] {units}, Activation.TANH, 1L),
        FeatureHashing.NONE, FeatureScaling.STANDARD);
  }

  private static ModelSpec hashed(final int bits, final int maxCoordinates,
      final OptimizerKind kind) {
    return new ModelSpec(1 << bits, true, Activation.SIGMOID, 0.1, null, 0.0, Loss.LOGISTIC,
        OptimizerSettings.of(kind), HiddenLayers.NONE,
        new FeatureHashing(bits, List.of(), 1000, maxCoordinates), FeatureScaling.NONE);
  }

  @Test
  void aTrainedDenseModelTakesNoMoreThanItsBound() {
    final ModelSpec spec = network(5, 4, OptimizerKind.ADAM);
    final Learner learner = Learner.of(spec);
    final Model model = learner.newModel();
    final double[] x = new double[5];
    for (int n = 0; n < 1000; n++) {
      for (int i = 0; i < x.length; i++) {
        x[i] = random.nextGaussian();
      }
      learner.learn(model, x, random.nextGaussian(), new StepResult());
      model.scaler().commit(x);
    }
    final int bytes = new ModelSerde(spec.stepSettings()).toBytes(model).length;
    assertThat((long) bytes).isLessThanOrEqualTo(StoredModelBound.mostBytes(spec))
        .isGreaterThan(StoredModelBound.mostBytes(spec) - 32);
  }

  /** Coordinates near 2^24 take the most bytes a coordinate's number can. */
  @Test
  void aHashedModelAtItsLimitTakesNoMoreThanItsBound() {
    for (final OptimizerKind kind : List.of(OptimizerKind.SGD, OptimizerKind.ADAGRAD,
        OptimizerKind.FTRL)) {
      final ModelSpec spec = hashed(24, 2000, kind);
      final HashedNeuron neuron = new HashedNeuron(spec);
      final Model model = neuron.newModel();
      final HashedVector x = new HashedVector();
      while (model.sparse().size() < 2000) {
        x.clear();
        for (int t = 0; t < 10; t++) {
          x.add((1 << 24) - 1 - random.nextInt(1 << 20), random.nextGaussian());
        }
        if (neuron.learn(model, x.canonical(), random.nextInt(2), new StepResult())
            == Verdict.MODEL_FULL) {
          break;
        }
      }
      assertThat(model.sparse().size()).isGreaterThan(1990);
      final int bytes = new ModelSerde(spec.stepSettings()).toBytes(model).length;
      assertThat((long) bytes).as("%s", kind)
          .isLessThanOrEqualTo(StoredModelBound.mostBytes(spec));
    }
  }

  @Test
  void settingsWhoseModelsKafkaCannotCarryAreRefused() {
    assertThat(StoredModelBound.refusal(ModelSpec.defaults(20), Map.of())).isNull();
    // the default limit of coordinates fits Kafka's default record with any sparse optimizer
    for (final OptimizerKind kind : List.of(OptimizerKind.SGD, OptimizerKind.ADAGRAD,
        OptimizerKind.FTRL)) {
      assertThat(StoredModelBound.refusal(hashed(24,
          FeatureHashing.DEFAULT_MAX_COORDINATES, kind), Map.of())).as("%s", kind).isNull();
    }
    assertThat(StoredModelBound.refusal(hashed(18, 40_000, OptimizerKind.FTRL), Map.of()))
        .startsWith("models of these settings take up to 1,12")
        .endsWith("give a lower --max-coordinates, or raise max.request.size "
            + "(KAFKA_MAX_REQUEST_SIZE) and the brokers' message.max.bytes");
    final ModelSpec adam = network(200, 300, OptimizerKind.ADAM);
    assertThat(StoredModelBound.refusal(adam, Map.of())).contains("(1,048,576)");
    assertThat(StoredModelBound.refusal(network(200, 300, OptimizerKind.SGD), Map.of()))
        .isNull();
    assertThat(StoredModelBound.refusal(adam, Map.of("max.request.size", "4000000"))).isNull();
    assertThat(StoredModelBound.refusal(adam, Map.of("max.request.size", "4000000",
        "producer.max.request.size", "1000"))).contains("(1,000)");
    assertThat(StoredModelBound.refusal(network(1000, 600, OptimizerKind.ADAM),
        Map.of("max.request.size", "100000000")))
        .isEqualTo("models of these settings hold 1,202,403 values in one array, more than a "
            + "stored model may (1,000,000): use fewer features or hidden units");
  }

  @Test
  void aHashedNetworkAtItsLimitTakesNoMoreThanItsBound() {
    final ModelSpec spec = new ModelSpec(1 << 24, false, Activation.IDENTITY, 0.01, null, 0.0,
        Loss.SQUARED, OptimizerSettings.of(OptimizerKind.ADAGRAD),
        HiddenLayers.of(new int[] {8, 4}, Activation.TANH, 3L),
        new FeatureHashing(24, List.of(), 1000, 300), FeatureScaling.NONE);
    final HashedNetwork network = new HashedNetwork(spec);
    final Model model = network.newModel();
    final HashedVector x = new HashedVector();
    while (true) {
      x.clear();
      for (int t = 0; t < 10; t++) {
        x.add((1 << 24) - 1 - random.nextInt(1 << 20), random.nextGaussian());
      }
      if (network.learn(model, x.canonical(), random.nextGaussian(), new StepResult())
          != Verdict.TRAINED) {
        break;
      }
    }
    assertThat(model.columns().size()).isGreaterThan(290);
    final int bytes = new ModelSerde(spec.stepSettings()).toBytes(model).length;
    assertThat((long) bytes).isLessThanOrEqualTo(StoredModelBound.mostBytes(spec));
    // 16 weights and their AdaGrad state a column: the default limit would not fit Kafka's 1 MB
    final ModelSpec wide = new ModelSpec(1 << 18, false, Activation.IDENTITY, 0.01, null, 0.0,
        Loss.SQUARED, OptimizerSettings.of(OptimizerKind.ADAGRAD),
        HiddenLayers.of(new int[] {16}, Activation.TANH, 3L), FeatureHashing.of(18),
        FeatureScaling.NONE);
    assertThat(StoredModelBound.refusal(wide, Map.of())).contains("give a lower "
        + "--max-coordinates");
  }
}
