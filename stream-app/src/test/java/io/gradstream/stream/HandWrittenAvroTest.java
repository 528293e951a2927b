package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.Champion;
import io.gradstream.avro.Drift;
import io.gradstream.avro.Framing;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.avro.Prediction;
import io.gradstream.avro.RaceState;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.events.AvroEventDecoder;
import io.gradstream.events.EventEncoder;
import io.gradstream.events.EventFields;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Classes;
import io.gradstream.learn.HashedNeuron;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.Network;
import io.gradstream.learn.Neuron;
import io.gradstream.learn.SparseWeights;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.StepResults;
import io.gradstream.learn.Verdict;
import io.gradstream.learn.evaluate.DriftDetector;
import io.gradstream.learn.evaluate.PageHinkley;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.HashedVector;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.learn.race.KeyRace;
import io.gradstream.learn.race.RaceRule;
import io.gradstream.learn.race.RaceSpec;
import io.gradstream.step.PendingPrediction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * The per-event codecs write and read Avro binary by hand; here their bytes are held equal to
 * what Avro's generated classes write, and what they read equal to what those classes read.
 */
class HandWrittenAvroTest {
  static {
    AvroSafety.install();
  }

  private final Random random = new Random(5);

  /** One neuron is stored as before networks: ModelState version 2, as Avro writes it. */
  @Test
  void storedModelsAreByteForByteModelStateVersion2() throws Exception {
    final SortedMap<String, String> settings =
        new ModelSpec(1, false, Activation.TANH, 0.05, null, 0).stepSettings();
    final ModelSerde serde = new ModelSerde(settings);
    for (int n = 0; n < 40; n++) {
      final boolean bias = n % 2 == 0;
      // the last one outgrows the writer's first buffer
      final Model model = new Model(gaussian(n == 39 ? 300 : 1 + n % 7), bias,
          random.nextGaussian(), n == 38 ? Long.MAX_VALUE : random.nextInt(1_000_000),
          random.nextDouble() * 1e6);
      final byte[] expected = released(ReleasedSchemas.MODEL_STATE_V2, Map.of(
          "weights", AvroValues.list(model.weights()), "bias", bias ? model.bias() : "null",
          "count", model.count(), "lossSum", model.lossSum(), "optimizerState", List.of(),
          "settings", settings));
      assertThat(serde.toBytes(model)).isEqualTo(expected);
      assertThat(serde.read(expected).settings()).isEqualTo(settings);
      final Model back = serde.fromBytes(expected);
      assertThat(back.weights()).containsExactly(model.weights());
      assertThat(back.hasBias()).isEqualTo(bias);
      assertThat(back.count()).isEqualTo(model.count());
      assertThat(back.lossSum()).isEqualTo(model.lossSum());
      assertThat(back.layers()).isNull();
    }
  }

  /** Without hidden layers nothing changed: the bytes the version before networks stored. */
  @Test
  void aNeuronIsStoredInTheVeryBytesOfTheVersionBeforeNetworks() throws Exception {
    final byte[] released = Fixtures.hexLines("/released/model-state-v2.hex").get(0);
    final ModelSerde.Stored stored = ModelSerde.reader().read(released);
    assertThat(new ModelSerde(stored.settings()).toBytes(stored.model())).isEqualTo(released);
  }

  /** Avro's own single-object encoding of {@code fields} with a released schema. */
  private static byte[] released(final String schema, final Map<String, Object> fields)
      throws IOException {
    final Schema writer = ReleasedSchemas.load(schema);
    final GenericRecordBuilder record =
        new GenericRecordBuilder(writer);
    fields.forEach((name, value) -> record.set(name, "null".equals(value) ? null : value));
    return new BinaryMessageEncoder<GenericRecord>(
        GenericData.get(), writer).encode(record.build()).array();
  }

  @Test
  void storedNetworksAreByteForByteModelStateVersion3() throws Exception {
    final ModelSpec spec = networkSpec();
    final ModelSerde serde = new ModelSerde(spec.stepSettings());
    final Model model = Model.initial(spec);
    new Network(spec).learn(model, gaussian(3), 0.5, new StepResult());
    final byte[] expected = released(ReleasedSchemas.MODEL_STATE_V3, Map.of(
        "weights", AvroValues.list(model.weights()), "bias", "null", "count", 1L,
        "lossSum", model.lossSum(), "optimizerState", AvroValues.list(model.optimizerState()),
        "settings", spec.stepSettings(), "layers", List.of(3, 4, 2, 1)));
    assertThat(serde.toBytes(model)).isEqualTo(expected);
    final Model back = serde.fromBytes(expected);
    assertThat(back.layers()).isEqualTo(spec.layers());
    assertThat(back.weights()).containsExactly(model.weights());
    assertThat(back.optimizerState()).containsExactly(model.optimizerState());
    assertThat(back.features()).isEqualTo(3);
  }

  /** A network is stored in the very bytes of the version before hashed models. */
  @Test
  void aNetworkIsStoredInTheVeryBytesOfTheVersionBeforeHashedModels() throws Exception {
    final byte[] released = Fixtures.hexLines("/released/model-state-v3.hex").get(0);
    final ModelSerde.Stored stored = ModelSerde.reader().read(released);
    assertThat(stored.model().layers().sizes()).containsExactly(2, 3, 1);
    assertThat(stored.model().count()).isEqualTo(2);
    assertThat(stored.settings()).containsEntry("optimizer", "adagrad")
        .containsEntry("hidden", "3");
    assertThat(new ModelSerde(stored.settings()).toBytes(stored.model())).isEqualTo(released);
  }

  /** A hashed model is ModelState version 4 byte for byte, as Avro writes that version. */
  @Test
  void storedHashedModelsAreByteForByteTheGeneratedModelState() throws Exception {
    for (final OptimizerKind kind : List.of(OptimizerKind.SGD, OptimizerKind.ADAGRAD,
        OptimizerKind.FTRL)) {
      for (final boolean bias : new boolean[] {true, false}) {
        final ModelSpec spec = new ModelSpec(1 << 12, bias, Activation.SIGMOID, 0.1, null, 0,
            Loss.LOGISTIC, OptimizerSettings.of(kind), HiddenLayers.NONE,
            FeatureHashing.of(12));
        final HashedNeuron neuron = new HashedNeuron(spec);
        final Model model = neuron.newModel();
        final HashedVector x = new HashedVector();
        for (int n = 0; n < 30; n++) {
          x.clear();
          for (int t = 0; t < 5; t++) {
            x.add(random.nextInt(1 << 12), random.nextGaussian());
          }
          neuron.learn(model, x.canonical(), n % 2, new StepResult());
        }
        final SparseWeights w = model.sparse();
        final List<Double> states = new ArrayList<>(AvroValues.list(model.optimizerState()));
        for (int s = 0; s < w.size() * w.stateSlots(); s++) {
          states.add(w.statesBySlot()[s]);
        }
        final List<Double> weights = new ArrayList<>();
        final List<Integer> coordinates = new ArrayList<>();
        for (int slot = 0; slot < w.size(); slot++) {
          weights.add(w.weight(slot));
          coordinates.add(w.coordinate(slot));
        }
        final Map<String, Object> fields = new HashMap<>(Map.of("weights", weights,
            "bias", bias ? model.bias() : "null", "count", 30L, "lossSum", model.lossSum(),
            "optimizerState", states, "settings", spec.stepSettings(), "layers", List.of(),
            "hashBits", 12, "coordinates", coordinates));
        final byte[] expected = released(ReleasedSchemas.MODEL_STATE_V4, fields);
        final ModelSerde serde = new ModelSerde(spec.stepSettings());
        assertThat(serde.toBytes(model)).as("%s bias %s", kind, bias).isEqualTo(expected);
        final Model back = serde.fromBytes(expected);
        assertThat(back.hashBits()).isEqualTo(12);
        assertThat(back.bias()).isEqualTo(model.bias());
        assertThat(back.optimizerState()).containsExactly(model.optimizerState());
        assertThat(back.sparse().size()).isEqualTo(w.size());
        for (int slot = 0; slot < w.size(); slot++) {
          final int c = w.coordinate(slot);
          final int at = back.sparse().slot(c);
          assertThat(back.sparse().weight(at)).isEqualTo(w.weight(slot));
          for (int k = 0; k < w.stateSlots(); k++) {
            assertThat(back.sparse().state(at, k)).isEqualTo(w.state(slot, k));
          }
        }
        // stepping the one read back and the original gives the same bits
        x.clear();
        x.add(7, 1.5);
        neuron.learn(model, x.canonical(), 1, new StepResult());
        neuron.learn(back, x, 1, new StepResult());
        assertThat(serde.toBytes(back)).isEqualTo(serde.toBytes(model));
      }
    }
  }

  /** A model stored before networks (ModelState version 2) loads as the neuron it was. */
  @Test
  void modelsStoredBeforeNetworksLoadUnchanged() throws Exception {
    final ModelSerde.Stored stored = ModelSerde.reader().read(
        Fixtures.hexLines("/released/model-state-v2.hex").get(0));
    assertThat(stored.model().layers()).isNull();
    assertThat(stored.model().weights()).containsExactly(0.25, -1.5e-3);
    assertThat(stored.model().bias()).isEqualTo(0.125);
    assertThat(stored.model().count()).isEqualTo(7);
    assertThat(stored.model().optimizerState()).containsExactly(3, 0.1, -0.2, 0.3, 0.01, 0.02,
        0.03);
    assertThat(stored.settings()).containsEntry("optimizer", "adam")
        .containsEntry("huber-delta", "0.5").doesNotContainKey("hidden");
  }

  private static ModelSpec networkSpec() {
    return new ModelSpec(3, false, Activation.IDENTITY, 0.01, null, 0, Loss.SQUARED,
        OptimizerSettings.of(OptimizerKind.ADAM),
        HiddenLayers.of(new int[] {4, 2}, Activation.RELU, 7L));
  }

  /** A network's metric is version 3, as before K classes. */
  @Test
  void networkMetricsCarryTheirParametersOnlyInFullDetail() throws Exception {
    final ModelSpec spec = networkSpec();
    final Model model = Model.initial(spec);
    final StepResult step = new StepResult();
    assertThat(new Network(spec).learn(model, gaussian(3), 0.5, step))
        .isEqualTo(Verdict.TRAINED);
    for (final MetricsDetail detail : MetricsDetail.values()) {
      final boolean full = detail == MetricsDetail.FULL;
      final Map<String, Object> fields = metricFields(step, model, full);
      fields.put("layers", List.of(3, 4, 2, 1));
      assertThat(new MetricEncoder(detail, null,
        Framing.SINGLE_OBJECT).encode("k".getBytes(StandardCharsets.UTF_8),
          "t", 0, 9L, step, model, null, null, 0L, null))
          .isEqualTo(released(ReleasedSchemas.TRAINING_METRIC_V3, fields));
    }
    assertThat(step.layerGradientNorms()).hasSize(3);
    assertThat(step.gradient()).hasSize(spec.layers().parameters());
  }

  private static Map<String, Object> metricFields(final StepResult step, final Model model,
      final boolean full) {
    final Map<String, Object> fields = new HashMap<>();
    fields.put("modelKey", "k");
    fields.put("step", 1L);
    fields.put("sourceTopic", "t");
    fields.put("sourcePartition", 0);
    fields.put("sourceOffset", 9L);
    fields.put("net", step.net());
    fields.put("y", step.y());
    fields.put("e", step.e());
    fields.put("fPrime", step.fPrime());
    fields.put("loss", step.loss());
    fields.put("gradient", full ? AvroValues.list(step.gradient()) : List.of());
    fields.put("biasGradient", "null");
    fields.put("gradientNorm", step.gradientNorm());
    fields.put("weights", full ? AvroValues.list(model.weights()) : List.of());
    fields.put("bias", "null");
    fields.put("id", "null");
    fields.put("servedY", "null");
    fields.put("labelDelayMs", "null");
    fields.put("updateNorm", step.updateNorm());
    fields.put("layerGradientNorms", AvroValues.list(step.layerGradientNorms()));
    return fields;
  }

  /**
   * A model of K classes' metric is version 4 (the current one in a race, naming the variant),
   * with its probabilities and predicted class by name (or index), byte for byte Avro's own.
   */
  @Test
  void metricsOfKClassesCarryTheirProbabilitiesAndPredictedLabel() throws Exception {
    for (final Classes classes : List.of(Classes.named(List.of("cat", "dög", "bird")),
        Classes.numbered(3))) {
      final ModelSpec spec = new ModelSpec(3, false, Activation.SIGMOID, 0.1, null, 0.0,
          Loss.crossEntropy(classes), OptimizerSettings.sgd(),
          HiddenLayers.of(new int[] {4}, Activation.TANH, 7L));
      final Model model = Model.initial(spec);
      final StepResult step = new StepResult();
      assertThat(new Network(spec).learn(model, gaussian(3), 2, step))
          .isEqualTo(Verdict.TRAINED);
      final TrainingMetric metric = new TrainingMetric("k", 1L, "t", 0, 9L, step.net(),
          step.y(), step.e(), step.fPrime(), step.loss(), List.of(), null, step.gradientNorm(),
          List.of(), null, null, null, null, step.updateNorm(), List.of(3, 4, 3),
          AvroValues.list(step.layerGradientNorms()), AvroValues.list(step.probabilities()),
          classes.name(step.label()), null);
      final MetricEncoder encoder = new MetricEncoder(MetricsDetail.SUMMARY, classes,
        Framing.SINGLE_OBJECT);
      final byte[] bytes = encoder.encode("k".getBytes(StandardCharsets.UTF_8), "t", 0, 9L,
          step, model, null, null, 0L, null);
      final Map<String, Object> fields = metricFields(step, model, false);
      fields.put("layers", List.of(3, 4, 3));
      fields.put("probabilities", AvroValues.list(step.probabilities()));
      fields.put("predictedLabel", classes.name(step.label()));
      assertThat(bytes).isEqualTo(released(ReleasedSchemas.TRAINING_METRIC_V4, fields));
      assertThat(ReleasedSchemas.trainingMetrics().decode(bytes)).isEqualTo(metric);
      final byte[] raced = encoder.encode("k".getBytes(StandardCharsets.UTF_8), "t", 0, 9L,
          step, model, null, null, 0L, "optimizer=adam".getBytes(StandardCharsets.UTF_8));
      metric.setVariant("optimizer=adam");
      assertThat(raced).isEqualTo(AvroValues.bytes(TrainingMetric.getEncoder(), metric));

      final PredictionEncoder predictions = new PredictionEncoder(classes,
        Framing.SINGLE_OBJECT);
      assertThat(new Network(spec).predict(model, gaussian(3), step))
          .isEqualTo(Verdict.PREDICTED);
      final Prediction prediction = new Prediction("k", "p", step.y(), 1L,
          Instant.ofEpochMilli(5), "t", 0, 9L, AvroValues.list(step.probabilities()),
          classes.name(step.label()), null);
      final byte[] version2 = predictions.encode("k".getBytes(StandardCharsets.UTF_8), "p",
          step, 1L, 5L, "t", 0, 9L, null);
      assertThat(AvroValues.hasHeader(version2, AvroValues.fingerprint(
          ReleasedSchemas.load(ReleasedSchemas.PREDICTION_V2)))).isTrue();
      assertThat(ReleasedSchemas.predictions().decode(version2)).isEqualTo(prediction);
      prediction.setVariant("learning-rate=0.1");
      assertThat(predictions.encode("k".getBytes(StandardCharsets.UTF_8), "p", step, 1L, 5L,
          "t", 0, 9L, "learning-rate=0.1".getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(AvroValues.bytes(Prediction.getEncoder(), prediction));
    }
  }

  @Test
  void metricsAreByteForByteTrainingMetricVersion2() throws Exception {
    final MetricEncoder encoder = new MetricEncoder(MetricsDetail.SUMMARY, null,
        Framing.SINGLE_OBJECT);
    for (int n = 1; n < 30; n++) {
      final boolean bias = n % 2 == 1;
      final ModelSpec spec = new ModelSpec(n % 6 + 1, bias, Activation.TANH, 0.1, null, 0);
      final Model model = Model.initial(spec);
      final StepResult step = new StepResult();
      new Neuron(spec).learn(model, gaussian(spec.features()), random.nextGaussian(), step);
      final String topic = n % 3 == 0 ? "training-events" : "other-events";
      final long offset = n == 29 ? Long.MAX_VALUE : 1000L * n;
      final String id = n % 4 == 0 ? null : "id-" + n + "-ü";
      final PendingPrediction joined = n % 4 == 1
          ? new PendingPrediction(null, null, random.nextGaussian(), n, 1_700_000_000_000L)
          : null;
      final long delay = joined != null ? n * 1000L - 7 : 0;
      final Map<String, Object> fields = new HashMap<>();
      fields.put("modelKey", "key-" + n + "-é");
      fields.put("step", model.count());
      fields.put("sourceTopic", topic);
      fields.put("sourcePartition", n);
      fields.put("sourceOffset", offset);
      fields.put("net", step.net());
      fields.put("y", step.y());
      fields.put("e", step.e());
      fields.put("fPrime", step.fPrime());
      fields.put("loss", step.loss());
      fields.put("gradient", AvroValues.list(step.gradient()));
      fields.put("biasGradient", bias ? step.biasGradient() : "null");
      fields.put("gradientNorm", step.gradientNorm());
      fields.put("weights", AvroValues.list(model.weights()));
      fields.put("bias", bias ? model.bias() : "null");
      fields.put("id", id == null ? "null" : id);
      fields.put("servedY", joined != null ? joined.y : "null");
      fields.put("labelDelayMs", joined != null ? delay : "null");
      fields.put("updateNorm", step.updateNorm());
      final byte[] bytes = encoder.encode(("key-" + n + "-é").getBytes(StandardCharsets.UTF_8),
          topic, n, offset, step, model, id, joined, delay, null);
      // one neuron's metric is version 2, as before networks
      assertThat(bytes).isEqualTo(released(ReleasedSchemas.TRAINING_METRIC_V2, fields));
      assertThat(ReleasedSchemas.trainingMetrics().decode(bytes).getLayers()).isEmpty();
    }
  }

  /**
   * In a race a neuron's metric is the current version, naming the variant, its network and class
   * fields empty; a change of champion and a stored race are byte for byte Avro's own.
   */
  @Test
  void aRaceWritesItsVariantsMetricsChampionsAndStoredRaceAsAvroDoes() throws Exception {
    final ModelSpec spec = new ModelSpec(2, true, Activation.TANH, 0.1, null, 0);
    final Model model = Model.initial(spec);
    final StepResult step = new StepResult();
    new Neuron(spec).learn(model, gaussian(2), 0.5, step);
    final TrainingMetric metric = new TrainingMetric("k", 1L, "t", 0, 9L, step.net(),
        step.y(), step.e(), step.fPrime(), step.loss(), AvroValues.list(step.gradient()),
        step.biasGradient(), step.gradientNorm(), AvroValues.list(model.weights()),
        model.bias(), "id", null, null, step.updateNorm(), List.of(), List.of(), null, null,
        "learning-rate=0.1,optimizer=adam");
    assertThat(new MetricEncoder(MetricsDetail.SUMMARY, null,
        Framing.SINGLE_OBJECT).encode(
        "k".getBytes(StandardCharsets.UTF_8), "t", 0, 9L, step, model, "id", null, 0L,
        "learning-rate=0.1,optimizer=adam".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(AvroValues.bytes(TrainingMetric.getEncoder(), metric));

    final List<String> names = List.of("learning-rate=0.1", "learning-rate=1", "optimizer=adam");
    final RaceRule rule = new RaceRule(3, 2);
    final KeyRace race = new KeyRace(3);
    race.stepped(0, 0.5, rule);
    race.stepped(2, 0.25, rule);
    race.decide(rule);
    race.stepped(0, 0.5, rule);
    race.stepped(2, 0.125, rule);
    assertThat(race.decide(rule)).as("the second event passes the warm-up").isTrue();
    final Champion champion = new Champion("k-é", "optimizer=adam", "learning-rate=0.1", 2L,
        names, List.of(0.5, Double.NaN, race.lossEwma(2)), Instant.ofEpochMilli(77), "t", 3, 4L);
    assertThat(new ChampionEncoder(names,
        Framing.SINGLE_OBJECT).encode("k-é".getBytes(StandardCharsets.UTF_8), race,
        77L, "t", 3, 4L)).isEqualTo(AvroValues.bytes(Champion.getEncoder(), champion));

    final List<ModelSpec> specs = List.of(spec, new ModelSpec(2, true, Activation.TANH, 1, null,
        0), new ModelSpec(2, true, Activation.TANH, 0.1, null, 0, Loss.SQUARED,
        OptimizerSettings.of(OptimizerKind.named("adam"))));
    final RaceSerde serde = new RaceSerde(new RaceSpec(names, specs, rule));
    final Model adam = Model.initial(specs.get(2));
    final RacedModels raced = new RacedModels(new Model[] {model, null, adam}, race);
    final byte[] bytes = serde.toBytes(raced);
    final RaceState state = new RaceState(names, 3.0, 2L, 2L, 2,
        List.of(0.5, Double.NaN, race.lossEwma(2)), Arrays.asList(
            ByteBuffer.wrap(new ModelSerde(spec.stepSettings()).toBytes(model)), null,
            ByteBuffer.wrap(new ModelSerde(specs.get(2).stepSettings()).toBytes(adam))));
    assertThat(bytes).isEqualTo(AvroValues.bytes(RaceState.getEncoder(), state));
    final RaceSerde.Stored read = RaceSerde.read(bytes);
    assertThat(read.names()).isEqualTo(names);
    assertThat(read.rule()).isEqualTo(rule);
    assertThat(read.race().champion()).isEqualTo(2);
    assertThat(read.race().events()).isEqualTo(2);
    assertThat(read.models().get(1)).isNull();
    assertThat(read.models().get(0).model().weights()).isEqualTo(model.weights());
    assertThat(read.models().get(2).settings()).containsEntry("optimizer", "adam");
    assertThat(read.models().get(2).model().optimizerState())
        .isEqualTo(adam.optimizerState());
  }

  /**
   * One model per key's drift is version 1, the very bytes the release before races wrote (and
   * Avro's own for that version); a race's variant's names it, in the current version.
   */
  @Test
  void driftsAreVersion1WithoutARaceAndNameTheVariantInOne() throws Exception {
    final DriftDetector detector = new PageHinkley(0.005, 0.5, 0.9999, 2);
    for (int i = 0; i < 40; i++) {
      detector.update(i < 30 ? 0.1 : 2.0, 0);
    }
    final DriftEncoder encoder = new DriftEncoder(Framing.SINGLE_OBJECT);
    final byte[] released = Fixtures.hexLines("/released/drift-v1.hex").get(0);
    final Drift read = ReleasedSchemas.drifts().decode(released);
    assertThat(read.getModelKey()).isEqualTo("sensor-7");
    assertThat(read.getVariant()).isNull();
    final Drift written = new Drift("sensor-7", 31L, "page-hinkley", detector.statistic(),
        detector.threshold(), "reset", 2L, "training-events", 1, 77L,
        Instant.ofEpochMilli(1764460800123L), null);
    final byte[] version1 = encoder.encode("sensor-7".getBytes(StandardCharsets.UTF_8), 31L,
        detector, true, 2L, "training-events", 1, 77L, 1764460800123L, null);
    assertThat(ReleasedSchemas.drifts().decode(version1)).isEqualTo(written);
    assertThat(AvroValues.hasHeader(version1, AvroValues.fingerprint(
        ReleasedSchemas.load(ReleasedSchemas.DRIFT_V1)))).isTrue();
    assertThat(released).as("the release before races wrote these very bytes")
        .isEqualTo(encoder.encode("sensor-7".getBytes(StandardCharsets.UTF_8), read.getStep(),
            new FixedDetector(read.getDetector(), read.getStatistic(), read.getThreshold()),
            read.getAction().equals("reset"), read.getGeneration(), read.getSourceTopic(),
            read.getSourcePartition(), read.getSourceOffset(), read.getTime().toEpochMilli(),
            null));
    written.setVariant("learning-rate=0.1");
    assertThat(encoder.encode("sensor-7".getBytes(StandardCharsets.UTF_8), 31L, detector, true,
        2L, "training-events", 1, 77L, 1764460800123L,
        "learning-rate=0.1".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(AvroValues.bytes(Drift.getEncoder(), written));
  }

  /** A detector that says what it is told, to write a drift record again. */
  private record FixedDetector(String id, double statistic, double threshold)
      implements DriftDetector {
    @Override
    public boolean update(final double loss, final double error) {
      return false;
    }

    @Override
    public void write(final double[] into, final int at) {
      throw new UnsupportedOperationException("a fixed detector has no state");
    }

    @Override
    public void read(final double[] from, final int at) {
      throw new UnsupportedOperationException("a fixed detector has no state");
    }

    @Override
    public DriftDetector copy() {
      return this;
    }
  }

  /** A model of one output's prediction is version 1, as before K classes. */
  @Test
  void predictionsAreByteForByteTheReleasedPrediction() throws Exception {
    final PredictionEncoder encoder = new PredictionEncoder(null,
        Framing.SINGLE_OBJECT);
    for (int n = 1; n < 20; n++) {
      final String id = n % 3 == 0 ? null : "p-" + n;
      final double y = random.nextGaussian();
      final long time = n == 19 ? -5L : 1_700_000_000_000L + n;
      final Map<String, Object> fields = new HashMap<>();
      fields.put("modelKey", "key-" + n);
      fields.put("id", id == null ? "null" : id);
      fields.put("y", y);
      fields.put("modelStep", (long) n * 7);
      fields.put("eventTime", time);
      fields.put("sourceTopic", "events-" + n % 2);
      fields.put("sourcePartition", n);
      fields.put("sourceOffset", 100L * n);
      final byte[] bytes = encoder.encode(("key-" + n).getBytes(StandardCharsets.UTF_8), id,
          StepResults.withY(y), n * 7L, time, "events-" + n % 2, n, 100L * n, null);
      assertThat(bytes).isEqualTo(released(ReleasedSchemas.PREDICTION_V1, fields));
      final Prediction read = ReleasedSchemas.predictions().decode(bytes);
      assertThat(read.getY()).isEqualTo(y);
      assertThat(read.getProbabilities()).isNull();
      assertThat(read.getLabel()).isNull();
    }
  }

  @Test
  void pendingPredictionsReadBackAsWritten() {
    final PendingStoreTestAccess access = new PendingStoreTestAccess();
    for (int n = 0; n < 10; n++) {
      final double[] x = gaussian(1 + n);
      access.store.put("k".getBytes(StandardCharsets.UTF_8), "k", "id" + n, x, null, n * 0.5, n,
          1_700_000_000_000L - n);
      final PendingPrediction back =
          access.store.get("k".getBytes(StandardCharsets.UTF_8), "k", "id" + n);
      assertThat(back.x).containsExactly(x);
      assertThat(back.y).isEqualTo(n * 0.5);
      assertThat(back.modelStep).isEqualTo(n);
      assertThat(back.eventTime).isEqualTo(1_700_000_000_000L - n);
      final byte[] bytes = access.values.get(PendingStore.storeKey(
          "k".getBytes(StandardCharsets.UTF_8), "id" + n));
      // qualified: the Avro record beside the imported PendingPrediction of the same name
      final io.gradstream.avro.PendingPrediction generated = decode(bytes);
      assertThat(AvroValues.array(generated.getX())).containsExactly(x);
      assertThat(generated.getEventTime().toEpochMilli()).isEqualTo(1_700_000_000_000L - n);
    }
  }

  /**
   * Events without named features are written in the very bytes of the version before them, and
   * those bytes read as they did.
   */
  @Test
  void eventsWithoutFeaturesAreTheBytesOfTheVersionBeforeNamedFeatures() throws Exception {
    final List<byte[]> released = Fixtures.hexLines("/released/labeled-event-v2.hex");
    final AvroEventDecoder decoder = new AvroEventDecoder();
    final EventFields event = new EventFields();
    decoder.decode(released.get(0), event);
    assertThat(event.x).containsExactly(0.5, -1.25);
    assertThat(event.d).isEqualTo(0.75);
    assertThat(event.eventTime).isEqualTo(1_700_000_000_123L);
    assertThat(event.id).isEqualTo("evt-7");
    assertThat(event.hasFeatures).isFalse();
    assertThat(EventEncoder.avro().encode(event)).isEqualTo(released.get(0));
    decoder.decode(released.get(1), event);
    assertThat(event.x).containsExactly(2.0);
    assertThat(event.hasLabel).isFalse();
    assertThat(event.id).isEqualTo("p1");
    assertThat(EventEncoder.avro().encode(event)).isEqualTo(released.get(1));
  }

  @Test
  void eventsReadAsTheGeneratedLabeledEventReadsThem() throws Exception {
    final AvroEventDecoder decoder = new AvroEventDecoder();
    final EventFields fields = new EventFields();
    for (int n = 0; n < 40; n++) {
      final double[] x = n % 7 == 6 ? null : gaussian(n % 5);
      final Double d = n % 5 == 4 ? null : random.nextGaussian();
      final Instant time = n % 3 == 0 ? null : Instant.ofEpochMilli(1_700_000_000_000L + n);
      final String id = n % 2 == 0 ? null : "id-" + n;
      // every fourth a hashed model's event, with named features instead of x
      final Map<String, Object> named = n % 4 != 1 ? null : new LinkedHashMap<>(Map.of(
          "amount", random.nextGaussian(), "country", "c" + n, "returning", n % 3 == 0));
      // every fifth a label by class name instead of d
      final String label = n % 5 == 2 ? "class-" + n : null;
      final LabeledEvent event = new LabeledEvent(x == null || named != null ? null
          : AvroValues.list(x), label != null ? null : d, time, id, named, label);
      decoder.decode(AvroValues.bytes(LabeledEvent.getEncoder(), event), fields);
      assertThat(fields.x).isEqualTo(named != null ? null : x);
      assertThat(fields.hasFeatures).isEqualTo(named != null);
      if (named != null) {
        assertThat(fields.features.size()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
          final Object v = named.get(fields.features.name(i));
          switch (fields.features.kind(i)) {
            case NUMBER -> assertThat(fields.features.value(i)).isEqualTo(v);
            case CATEGORY -> assertThat(fields.features.category(i)).isEqualTo(v);
            case BOOLEAN -> assertThat(fields.features.value(i)).isEqualTo(
                (Boolean) v ? 1.0 : 0.0);
          }
        }
        // the encoder writes what the generated class reads back
        final EventFields again = new EventFields();
        decoder.decode(EventEncoder.avro().encode(fields), again);
        assertThat(again.features.size()).isEqualTo(3);
        assertThat(ReleasedSchemas.labeledEvents().decode(EventEncoder.avro().encode(fields))
            .getFeatures()).hasSize(3);
      }
      assertThat(fields.hasLabel).isEqualTo(d != null || label != null);
      assertThat(fields.label).isEqualTo(label);
      if (d != null && label == null) {
        assertThat(fields.d).isEqualTo(d);
      }
      if (label != null) {
        // the encoder writes a label by name in the current version, read back as written
        final EventFields again = new EventFields();
        decoder.decode(EventEncoder.avro().encode(fields), again);
        assertThat(again.label).isEqualTo(label);
        assertThat(ReleasedSchemas.labeledEvents().decode(EventEncoder.avro().encode(fields))
            .getLabel()).isEqualTo(label);
      }
      assertThat(fields.eventTime).isEqualTo(time == null ? EventFields.NO_TIME
          : time.toEpochMilli());
      assertThat(fields.id).isEqualTo(id);
    }
  }

  /** Bytes gradstream 0.1.0 wrote (LabeledEvent version 1) read as they were meant. */
  @Test
  void eventsTheReleasedSchemaWroteStayReadable() throws Exception {
    final List<byte[]> released = Fixtures.hexLines("/released/labeled-event-v1.hex");
    final AvroEventDecoder decoder = new AvroEventDecoder();
    final EventFields fields = new EventFields();
    decoder.decode(released.get(0), fields);
    assertThat(fields.x).containsExactly(0.5, -1.25, 3.0);
    assertThat(fields.hasLabel).isTrue();
    assertThat(fields.d).isEqualTo(0.75);
    assertThat(fields.eventTime).isEqualTo(1764460800123L);
    assertThat(fields.id).isNull();
    decoder.decode(released.get(1), fields);
    assertThat(fields.x).containsExactly(1e-300);
    assertThat(fields.d).isEqualTo(-2.5);
    assertThat(fields.eventTime).isEqualTo(EventFields.NO_TIME);
    // and through Avro's own schema resolution, as producers' consumers in other tools read them
    final LabeledEvent resolved = LabeledEvent.createDecoder(ReleasedSchemas.store(
        LabeledEvent.getClassSchema(), ReleasedSchemas.LABELED_EVENT_V1)).decode(released.get(0));
    assertThat(resolved.getX()).containsExactly(0.5, -1.25, 3.0);
    assertThat(resolved.getId()).isNull();
  }

  /** A consumer with the current schema and the released ones reads metrics 0.1.0 wrote. */
  @Test
  void metricsTheReleasedSchemaWroteStayReadable() throws Exception {
    final byte[] released = Fixtures.hexLines("/released/training-metric-v1.hex").get(0);
    final TrainingMetric metric = TrainingMetric.createDecoder(ReleasedSchemas.store(
        TrainingMetric.getClassSchema(), ReleasedSchemas.TRAINING_METRIC_V1)).decode(released);
    assertThat(metric.getModelKey()).isEqualTo("sensor-7");
    assertThat(metric.getStep()).isEqualTo(12L);
    assertThat(metric.getSourceOffset()).isEqualTo(4567L);
    assertThat(metric.getWeights()).containsExactly(0.4, -0.3);
    assertThat(metric.getBias()).isEqualTo(0.1);
    assertThat(metric.getId()).isNull();
    assertThat(metric.getServedY()).isNull();
    assertThat(metric.getUpdateNorm()).isNull();
  }

  /**
   * A consumer with the current schema and the released ones reads metrics from before networks.
   */
  @Test
  void metricsOfTheVersionBeforeNetworksStayReadable() throws Exception {
    final byte[] released = Fixtures.hexLines("/released/training-metric-v2.hex").get(0);
    final TrainingMetric metric = TrainingMetric.createDecoder(ReleasedSchemas.store(
        TrainingMetric.getClassSchema(), ReleasedSchemas.TRAINING_METRIC_V1,
        ReleasedSchemas.TRAINING_METRIC_V2)).decode(released);
    assertThat(metric.getModelKey()).isEqualTo("sensor-7");
    assertThat(metric.getSourceOffset()).isEqualTo(4711L);
    assertThat(metric.getWeights()).containsExactly(0.25, -0.125);
    assertThat(metric.getId()).isEqualTo("p-9");
    assertThat(metric.getLabelDelayMs()).isEqualTo(3000L);
    assertThat(metric.getUpdateNorm()).isEqualTo(0.001825);
    assertThat(metric.getLayers()).isEmpty();
    assertThat(metric.getLayerGradientNorms()).isEmpty();
  }

  /**
   * Bytes the release before K classes wrote (a network's metric in version 3, a prediction in
   * version 1, an event with named features in version 3) read as they were meant; the service
   * reads the event too.
   */
  @Test
  void recordsOfTheReleaseBeforeKClassesStayReadable() throws Exception {
    final TrainingMetric metric = ReleasedSchemas.trainingMetrics().decode(
        Fixtures.hexLines("/released/training-metric-v3.hex").get(0));
    assertThat(metric.getModelKey()).isEqualTo("net-3");
    assertThat(metric.getLayers()).containsExactly(2, 3, 1);
    assertThat(metric.getLayerGradientNorms()).containsExactly(0.5, 0.25);
    assertThat(metric.getServedY()).isEqualTo(0.4);
    assertThat(metric.getProbabilities()).isNull();
    assertThat(metric.getPredictedLabel()).isNull();

    final Prediction prediction = ReleasedSchemas.predictions().decode(
        Fixtures.hexLines("/released/prediction-v1.hex").get(0));
    assertThat(prediction.getModelKey()).isEqualTo("sensor-7");
    assertThat(prediction.getY()).isEqualTo(0.625);
    assertThat(prediction.getModelStep()).isEqualTo(12L);
    assertThat(prediction.getSourceOffset()).isEqualTo(4242L);
    assertThat(prediction.getProbabilities()).isNull();
    assertThat(prediction.getLabel()).isNull();

    final byte[] event = Fixtures.hexLines("/released/labeled-event-v3.hex").get(0);
    assertThat(ReleasedSchemas.labeledEvents().decode(event).getLabel()).isNull();
    final EventFields fields = new EventFields();
    new AvroEventDecoder().decode(event, fields);
    assertThat(fields.d).isEqualTo(1.0);
    assertThat(fields.label).isNull();
    assertThat(fields.id).isEqualTo("evt-3");
    assertThat(fields.features.size()).isEqualTo(3);
    assertThat(fields.eventTime).isEqualTo(1764460800456L);
    // and an event of that version is written as those very bytes again
    assertThat(EventEncoder.avro().encode(fields)).isEqualTo(event);
  }

  /**
   * Bytes the release before races wrote (a K-class model's metric in version 4 and prediction in
   * version 2) read as they were meant, and written again as those very bytes.
   */
  @Test
  void recordsOfTheReleaseBeforeRacesStayReadableAndAreWrittenAgainAsTheyWere() throws Exception {
    final byte[] metricBytes = Fixtures.hexLines("/released/training-metric-v4.hex").get(0);
    final TrainingMetric metric = ReleasedSchemas.trainingMetrics().decode(metricBytes);
    assertThat(metric.getModelKey()).isEqualTo("zoo-1");
    assertThat(metric.getY()).isEqualTo(1.0 / 3);
    assertThat(metric.getServedY()).isEqualTo(0.25);
    assertThat(metric.getLabelDelayMs()).isEqualTo(1500L);
    assertThat(metric.getPredictedLabel()).isEqualTo("cat");
    assertThat(metric.getProbabilities()).hasSize(3);
    assertThat(metric.getVariant()).isNull();
    final byte[] predictionBytes = Fixtures.hexLines("/released/prediction-v2.hex").get(0);
    final Prediction prediction = ReleasedSchemas.predictions().decode(predictionBytes);
    assertThat(prediction.getLabel()).isEqualTo("cat");
    assertThat(prediction.getY()).isEqualTo(0.3598674673233327);
    assertThat(prediction.getVariant()).isNull();

    // the same step and prediction, out of a race, are written as the released bytes
    final Classes classes = Classes.named(List.of("cat", "dog", "bird"));
    final ModelSpec spec = new ModelSpec(2, false, Activation.SIGMOID, 0.5, null, 0.0,
        Loss.crossEntropy(classes), OptimizerSettings.sgd(), HiddenLayers.NONE);
    final Model model = Model.initial(spec);
    final StepResult step = new StepResult();
    new Network(spec).learn(model, new double[] {1, 2}, 2, step);
    assertThat(new MetricEncoder(MetricsDetail.SUMMARY, classes,
        Framing.SINGLE_OBJECT).encode(
        "zoo-1".getBytes(StandardCharsets.UTF_8), "training-events", 1, 77L, step, model, "e-5",
        new PendingPrediction(null, null, 0.25, 0, 0L), 1500L, null)).isEqualTo(metricBytes);
    new Network(spec).predict(model, new double[] {0.5, -1}, step);
    assertThat(new PredictionEncoder(classes,
        Framing.SINGLE_OBJECT).encode("zoo-1".getBytes(StandardCharsets.UTF_8),
        "p-2", step, 1L, 1764460800789L, "training-events", 1, 78L, null))
        .isEqualTo(predictionBytes);
  }

  // qualified: the Avro record beside the imported PendingPrediction of the same name
  private static io.gradstream.avro.PendingPrediction decode(final byte[] bytes) {
    try { // qualified: as above; a dense prediction waits in version 1
      return io.gradstream.avro.PendingPrediction.createDecoder(ReleasedSchemas.store(
          // qualified: as above
          io.gradstream.avro.PendingPrediction.getClassSchema(),
          ReleasedSchemas.PENDING_PREDICTION_V1)).decode(bytes);
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private double[] gaussian(final int n) {
    final double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10);
    }
    return v;
  }
}
