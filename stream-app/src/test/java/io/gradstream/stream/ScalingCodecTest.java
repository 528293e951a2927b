package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.ModelState;
import io.gradstream.avro.PendingPrediction;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.events.NamedFeatures;
import io.gradstream.learn.Activation;
import io.gradstream.learn.HashedNetwork;
import io.gradstream.learn.HashedNeuron;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelAssert;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.SparseColumns;
import io.gradstream.learn.SparseWeights;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.features.HashedVector;
import io.gradstream.learn.features.StandardScaler;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.query.ModelJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/**
 * Models that scale, and hashed predictions waiting with their named features: the bytes the
 * hand-written codecs store are what Avro's generated classes write, and the bytes of the
 * versions before them stay readable.
 */
class ScalingCodecTest {
  /** A model that is not judged is stored in version 5, the fields before the evaluation. */
  private static final BinaryMessageEncoder<ModelState> V5 = new BinaryMessageEncoder<>(
      SpecificData.get(), ReleasedSchemas.load(ReleasedSchemas.MODEL_STATE_V5));

  static {
    AvroSafety.install();
  }

  private final Random random = new Random(11);

  @Test
  void aModelThatScalesXIsModelStateVersion5ByteForByte() throws Exception {
    for (final HiddenLayers hidden : List.of(HiddenLayers.NONE,
        HiddenLayers.of(new int[] {2}, Activation.TANH, 3))) {
      final ModelSpec spec = new ModelSpec(3, false, Activation.TANH, 0.05, null, 0,
          Loss.SQUARED, OptimizerSettings.of(OptimizerKind.ADAM), hidden, FeatureHashing.NONE,
          FeatureScaling.STANDARD);
      final Learner learner = Learner.of(spec);
      final Model model = learner.newModel();
      final double[] scaled = new double[3];
      for (int n = 0; n < 12; n++) {
        final double[] x = {random.nextGaussian(), 5 + random.nextGaussian(), 7};
        model.scaler().train(x, scaled);
        learner.learn(model, scaled, random.nextGaussian(), new StepResult());
        model.scaler().commit(x);
      }
      final List<Integer> layers = new ArrayList<>();
      if (model.layers() != null) {
        for (final int size : model.layers().sizes()) {
          layers.add(size);
        }
      }
      final byte[] expected = AvroValues.bytes(V5, new ModelState(
          AvroValues.list(model.weights()), null, 12L, model.lossSum(),
          AvroValues.list(model.optimizerState()), spec.stepSettings(), layers, 0, List.of(),
          List.of(), AvroValues.list(model.scaler().moments()), null));
      final ModelSerde serde = new ModelSerde(spec.stepSettings());
      assertThat(serde.toBytes(model)).as("hidden %s", hidden).isEqualTo(expected);
      final Model back = serde.fromBytes(expected);
      assertThat(back.scaler().byName()).isFalse();
      assertThat(back.scaler().moments()).containsExactly(model.scaler().moments());
      assertThat(back.weights()).containsExactly(model.weights());
      assertThat(serde.toBytes(back)).isEqualTo(expected);
    }
  }

  @Test
  void aHashedModelThatScalesStoresItsFeaturesNamesAndMoments() throws Exception {
    final ModelSpec spec = new ModelSpec(1 << 8, true, Activation.IDENTITY, 0.05, null, 0,
        Loss.SQUARED, OptimizerSettings.of(OptimizerKind.ADAGRAD), HiddenLayers.NONE,
        FeatureHashing.of(8), FeatureScaling.STANDARD);
    final HashedNeuron neuron = new HashedNeuron(spec);
    final Model model = neuron.newModel();
    final HashedVector x = new HashedVector();
    for (int n = 0; n < 9; n++) {
      final double amount = 10 * random.nextDouble();
      final double age = 20 + random.nextInt(50);
      x.clear();
      x.add(17, model.scaler().train("amount", amount));
      x.add(99, model.scaler().train("ägé", age));
      neuron.learn(model, x.canonical(), random.nextGaussian(), new StepResult());
      model.scaler().commit("amount", amount);
      model.scaler().commit("ägé", age);
    }
    final SparseWeights w = model.sparse();
    final List<Double> weights = new ArrayList<>();
    final List<Integer> coordinates = new ArrayList<>();
    final List<Double> states = new ArrayList<>(AvroValues.list(model.optimizerState()));
    for (int slot = 0; slot < w.size(); slot++) {
      weights.add(w.weight(slot));
      coordinates.add(w.coordinate(slot));
      states.add(w.state(slot, 0));
    }
    final List<Double> moments = AvroValues.list(model.scaler().moments()).subList(0, 6);
    final byte[] expected = AvroValues.bytes(V5, new ModelState(weights,
        model.bias(), 9L, model.lossSum(), states, spec.stepSettings(), List.of(), 8,
        coordinates, List.of("amount", "ägé"), moments, null));
    final ModelSerde serde = new ModelSerde(spec.stepSettings());
    assertThat(serde.toBytes(model)).isEqualTo(expected);
    final StandardScaler back = serde.fromBytes(expected).scaler();
    assertThat(back.byName()).isTrue();
    assertThat(back.size()).isEqualTo(2);
    assertThat(back.name(1)).isEqualTo("ägé");
    assertThat(back.serve("amount", 4.0)).isEqualTo(model.scaler().serve("amount", 4.0));
    assertThat(back.serve("ägé", 30.0)).isEqualTo(model.scaler().serve("ägé", 30.0));
    assertThat(serde.toBytes(serde.fromBytes(expected))).isEqualTo(expected);
  }

  /** A network over hashed inputs: its columns and their state, then its dense parameters. */
  @Test
  void aHashedNetworkIsModelStateVersion5ByteForByte() throws Exception {
    final ModelSpec spec = new ModelSpec(1 << 10, false, Activation.IDENTITY, 0.05, null, 0,
        Loss.SQUARED, OptimizerSettings.of(OptimizerKind.ADAGRAD),
        HiddenLayers.of(new int[] {3}, Activation.TANH, 5L), FeatureHashing.of(10),
        FeatureScaling.NONE);
    final HashedNetwork network = new HashedNetwork(spec);
    final Model model = network.newModel();
    final HashedVector x = new HashedVector();
    for (int n = 0; n < 12; n++) {
      x.clear();
      x.add(random.nextInt(1 << 10), random.nextGaussian());
      x.add(random.nextInt(1 << 10), random.nextGaussian());
      network.learn(model, x.canonical(), random.nextGaussian(), new StepResult());
    }
    final SparseColumns columns = model.columns();
    final List<Double> weights = new ArrayList<>();
    final List<Double> states = new ArrayList<>(AvroValues.list(model.optimizerState()));
    final List<Integer> coordinates = new ArrayList<>();
    for (int slot = 0; slot < columns.size(); slot++) {
      coordinates.add(columns.coordinate(slot));
      for (int j = 0; j < 3; j++) {
        weights.add(columns.value(slot, j));
      }
      for (int j = 0; j < 3; j++) {
        states.add(columns.state(slot, 0, j));
      }
    }
    weights.addAll(AvroValues.list(model.weights()));
    final byte[] expected = AvroValues.bytes(V5, new ModelState(weights,
        null, 12L, model.lossSum(), states, spec.stepSettings(), List.of(1024, 3, 1), 10,
        coordinates, List.of(), List.of(), null));
    final ModelSerde serde = new ModelSerde(spec.stepSettings());
    assertThat(serde.toBytes(model)).isEqualTo(expected);
    final Model back = serde.fromBytes(expected);
    ModelAssert.assertBitIdentical("read back", back, model);
    assertThat(spec.stepSettings()).containsEntry("init-seed", "5");
    // the models' JSON: the touched columns by coordinate, then the dense layers
    final JsonNode json = ModelJson.of(model);
    assertThat(json.get("hashBits").asInt()).isEqualTo(10);
    final JsonNode first = json.get("layers").get(0);
    assertThat(first.get("w").size()).isEqualTo(columns.size());
    final int c = columns.coordinate(0);
    assertThat(first.get("w").get(Integer.toString(c)).get(2).asDouble())
        .isEqualTo(columns.value(0, 2));
    assertThat(first.get("b").size()).isEqualTo(3);
    assertThat(json.get("layers").get(1).get("w").get(0).size()).isEqualTo(3);
    assertThat(json.get("layers").get(1).get("b").get(0).asDouble())
        .isEqualTo(model.weights()[6]);
  }

  /** A model of a service that does not scale (or a store without settings) keeps no scaler. */
  @Test
  void aModelThatDoesNotScaleIsStoredInTheVersionOfItsKind() throws Exception {
    final ModelSpec spec = new ModelSpec(1 << 10, true, Activation.SIGMOID, 0.1, null, 0,
        Loss.LOGISTIC, OptimizerSettings.of(OptimizerKind.FTRL), HiddenLayers.NONE,
        FeatureHashing.of(10));
    final byte[] released = Fixtures.hexLines("/released/model-state-v4.hex").get(0);
    final ModelSerde.Stored stored = ModelSerde.reader().read(released);
    assertThat(stored.settings()).isEqualTo(spec.stepSettings());
    assertThat(stored.model().scaler()).isNull();
    assertThat(stored.model().hashBits()).isEqualTo(10);
    assertThat(stored.model().count()).isEqualTo(2);
    assertThat(stored.model().sparse().size()).isEqualTo(3);
    assertThat(new ModelSerde(stored.settings()).toBytes(stored.model())).isEqualTo(released);
    // stepped on as the release would: the same step taken from the model read back
    final HashedNeuron neuron = new HashedNeuron(spec);
    final HashedVector x = new HashedVector();
    x.add(3, 1.0);
    final Model fresh = neuron.newModel();
    final HashedVector first = new HashedVector();
    first.add(3, 1.5);
    first.add(700, -2.0);
    neuron.learn(fresh, first.canonical(), 1, new StepResult());
    final HashedVector second = new HashedVector();
    second.add(3, 0.5);
    second.add(41, 1.0);
    neuron.learn(fresh, second.canonical(), 0, new StepResult());
    assertThat(new ModelSerde(spec.stepSettings()).toBytes(fresh)).isEqualTo(released);
  }

  @Test
  void aHashedPredictionWaitsWithItsFeaturesInPendingPredictionVersion2() {
    final PendingStoreTestAccess access = new PendingStoreTestAccess();
    final byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    final NamedFeatures features = new NamedFeatures();
    features.number("amount", 12.5);
    features.category("country", "DE");
    features.bool("returning", true);
    features.bool("new", false);
    access.store.put(key, "k", "p", new double[0], features, 0.75, 4, 1_700_000_000_000L);
    final byte[] bytes = access.values.get(PendingStore.storeKey(key, "p"));
    final Map<String, Object> named = new LinkedHashMap<>();
    named.put("amount", 12.5);
    named.put("country", "DE");
    named.put("returning", true);
    named.put("new", false);
    final PendingPrediction generated = new PendingPrediction(
        Instant.ofEpochMilli(1_700_000_000_000L), 0.75, 4L, List.of(), named);
    final byte[] expected = AvroValues.bytes(PendingPrediction.getEncoder(), generated);
    assertThat(bytes).isEqualTo(expected);
    assertThat(decodeGenerated(bytes).getFeatures()).hasSize(4);
    final var back = access.store.get(key, "k", "p");
    assertThat(back.x).isEmpty();
    assertThat(back.features.size()).isEqualTo(4);
    assertThat(back.features.name(0)).isEqualTo("amount");
    assertThat(back.features.value(0)).isEqualTo(12.5);
    assertThat(back.features.category(1)).isEqualTo("DE");
    assertThat(back.features.kind(2)).isEqualTo(NamedFeatures.Kind.BOOLEAN);
    assertThat(back.features.value(3)).isZero();
    // a dense prediction is the very bytes of version 1, and has no features
    access.store.put(key, "k", "q", new double[] {1.5, -2}, null, 0.5, 1, 5L);
    assertThat(access.store.get(key, "k", "q").features).isNull();
    assertThat(access.store.get(key, "k", "q").x).containsExactly(1.5, -2);
  }

  /** What the release before features kept for a hashed prediction reads as its pairs. */
  @Test
  void aHashedPredictionKeptBeforeFeaturesReadsAsItsPairs() throws Exception {
    final PendingStoreTestAccess access = new PendingStoreTestAccess();
    final byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    final byte[] released = Fixtures.hexLines("/released/pending-prediction-v1.hex").get(0);
    access.inner.put(PendingStore.storeKey(key, "p1"), released);
    final var back = access.store.get(key, "k", "p1");
    assertThat(back.features).isNull();
    assertThat(back.x).containsExactly(3, 1.5, 700, -2.0);
    assertThat(back.y).isEqualTo(0.25);
    assertThat(back.modelStep).isEqualTo(2);
    assertThat(back.eventTime).isEqualTo(1_700_000_000_000L);
    // the same prediction kept now, dense-style, is those very bytes
    access.store.put(key, "k", "p2", new double[] {3, 1.5, 700, -2.0}, null, 0.25, 2,
        1_700_000_000_000L);
    assertThat(access.values.get(PendingStore.storeKey(key, "p2"))).isEqualTo(released);
  }

  private static PendingPrediction decodeGenerated(final byte[] bytes) {
    try {
      return PendingPrediction.getDecoder().decode(bytes);
    } catch (final IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
