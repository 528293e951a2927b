package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.metrics.TrainingMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SortedMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A stored model met under other settings is refused, reset or kept as the operator said, and never
 * stepped under them unnoticed; models stored by the released version (no settings) are compared
 * by their shape.
 */
class SettingsChangeTest {
  private static final ModelSpec TANH_2_BIAS = new ModelSpec(2, true, Activation.TANH, 0.1,
      null, 0.0);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final KeyValueStore<Bytes, byte[]> inner = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore(TrainingTopology.STORE), Serdes.Bytes(), Serdes.ByteArray())
      .withLoggingDisabled().build();

  {
    inner.init(new MockProcessorContext<>().getStateStoreContext(), inner);
  }

  private void store(final String key, final ModelSpec spec, final Model model) {
    inner.put(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)),
        new ModelSerde(spec.stepSettings()).toBytes(model));
  }

  private ModelStore.Live load(final String key, final ModelSpec running,
      final OnSettingsChange policy) {
    final ModelStore store = new ModelStore(inner, Long.MAX_VALUE,
        new ModelSerde(running.stepSettings()),
        new SettingsGuard(running, policy, new TrainingMeters(registry, 0)));
    return store.load(key.getBytes(StandardCharsets.UTF_8), key);
  }

  private static Model trained() {
    return new Model(new double[] {0.5, -0.25}, true, 0.125, 7, 0.75);
  }

  private double changed(final String action) {
    final var counter = registry.find("gradstream.models.settings.changed").tag("action", action)
        .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aModelUnderItsOwnSettingsLoadsAsItWasStoredWhateverThePolicy() {
    store("k", TANH_2_BIAS, trained());
    for (final OnSettingsChange policy : OnSettingsChange.values()) {
      final Model loaded = load("k", TANH_2_BIAS, policy).model;
      assertThat(loaded.weights()).containsExactly(0.5, -0.25);
      assertThat(loaded.count()).isEqualTo(7);
    }
    assertThat(changed("reset") + changed("keep")).isZero();
  }

  @Test
  void refuseNamesTheModelAndEverySettingThatDiffers() {
    store("sensor-7", TANH_2_BIAS, trained());
    final ModelSpec other = new ModelSpec(3, false, Activation.SIGMOID, 0.05, null, 0.0);
    assertThatThrownBy(() -> load("sensor-7", other, OnSettingsChange.REFUSE))
        .isInstanceOf(SettingsMismatchException.class)
        .hasMessageStartingWith("the stored model 'sensor-7' (7 steps) differs from the running "
            + "settings: activation tanh → sigmoid, learning-rate 0.1 → 0.05, features 2 → 3, "
            + "bias true → false; start with the settings it was trained with, or choose "
            + "--on-settings-change reset");
    // a learning rate alone is a difference too: the model would be stepped otherwise
    assertThatThrownBy(() -> load("sensor-7", new ModelSpec(2, true, Activation.TANH, 0.2, null,
        0.0), OnSettingsChange.REFUSE)).hasMessageContaining(": learning-rate 0.1 → 0.2;");
  }

  @Test
  void aSettingAddedLaterCountsAsItsOldValueInModelsStoredWithoutIt() {
    // a model stored before the loss was a setting: its map has no "loss", and it was squared
    final SortedMap<String, String> withoutLoss = TANH_2_BIAS.stepSettings();
    withoutLoss.remove("loss");
    inner.put(Bytes.wrap("k".getBytes(StandardCharsets.UTF_8)),
        new ModelSerde(withoutLoss).toBytes(trained()));
    assertThat(load("k", TANH_2_BIAS, OnSettingsChange.REFUSE).model.count()).isEqualTo(7);
    final ModelSpec huber = new ModelSpec(2, true, Activation.TANH, 0.1, null, 0.0,
        Loss.of("huber", 1.0));
    assertThatThrownBy(() -> load("k", huber, OnSettingsChange.REFUSE))
        .hasMessageContaining("differs from the running settings: huber-delta none → 1.0, "
            + "loss squared → huber;");
  }

  @Test
  void keepAcrossOptimizersKeepsTheWeightsAndStartsTheNewOptimizersStateAfresh() {
    final ModelSpec adam = new ModelSpec(2, true, Activation.TANH, 0.1, null, 0.0,
        Loss.SQUARED, OptimizerSettings.of(OptimizerKind.ADAM));
    store("sgd", TANH_2_BIAS, trained());
    assertThatThrownBy(() -> load("sgd", adam, OnSettingsChange.REFUSE))
        .hasMessageContaining("optimizer sgd → adam");
    final Model kept = load("sgd", adam, OnSettingsChange.KEEP).model;
    assertThat(kept.weights()).containsExactly(0.5, -0.25);
    assertThat(kept.count()).isEqualTo(7);
    assertThat(kept.optimizerState()).hasSize(1 + 2 * 3).containsOnly(0.0);

    // an Adam model under Adam keeps its moments and its step count
    final double[] moments = {7, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    store("adam", adam, new Model(new double[] {1, 2}, true, 3, 7, 0.5, moments.clone()));
    assertThat(load("adam", adam, OnSettingsChange.REFUSE).model.optimizerState())
        .containsExactly(moments);
  }

  @Test
  void keepAcrossScalingStartsTheScalerAfreshOrDropsIt() {
    final ModelSpec scaled = new ModelSpec(2, true, Activation.TANH, 0.1, null, 0.0,
        Loss.SQUARED, OptimizerSettings.sgd(), HiddenLayers.NONE, FeatureHashing.NONE,
        FeatureScaling.STANDARD);
    store("plain", TANH_2_BIAS, trained());
    assertThatThrownBy(() -> load("plain", scaled, OnSettingsChange.REFUSE))
        .hasMessageContaining("differs from the running settings: scale none → standard;");
    final Model kept = load("plain", scaled, OnSettingsChange.KEEP).model;
    assertThat(kept.weights()).containsExactly(0.5, -0.25);
    assertThat(kept.scaler().size()).isEqualTo(2);
    assertThat(kept.scaler().moments()).containsOnly(0.0);

    final Model scaling = trained().withScaler(Model.freshScaler(scaled));
    scaling.scaler().commit(new double[] {1, 2});
    store("scaling", scaled, scaling);
    assertThat(load("scaling", scaled, OnSettingsChange.REFUSE).model.scaler().moments())
        .startsWith(1, 1, 0, 1, 2, 0);
    final Model unscaled = load("scaling", TANH_2_BIAS, OnSettingsChange.KEEP).model;
    assertThat(unscaled.scaler()).isNull();
    assertThat(unscaled.weights()).containsExactly(0.5, -0.25);
    assertThat(load("scaling", TANH_2_BIAS, OnSettingsChange.RESET).model.count()).isZero();
  }

  @Test
  void resetStartsTheModelAgainFromTheRunningStart() {
    store("k", TANH_2_BIAS, trained());
    final ModelSpec other = new ModelSpec(3, false, Activation.SIGMOID, 0.05,
        new double[] {1, 2, 3}, 0.0);
    final Model loaded = load("k", other, OnSettingsChange.RESET).model;
    assertThat(loaded.weights()).containsExactly(1.0, 2.0, 3.0);
    assertThat(loaded.hasBias()).isFalse();
    assertThat(loaded.count()).isZero();
    assertThat(loaded.lossSum()).isZero();
    assertThat(changed("reset")).isEqualTo(1);
  }

  @Test
  void keepKeepsWeightsOfTheSameShapeAndRefusesAnotherShape() {
    store("k", TANH_2_BIAS, trained());
    final ModelSpec sigmoid = new ModelSpec(2, true, Activation.SIGMOID, 0.05, null, 0.0);
    final Model kept = load("k", sigmoid, OnSettingsChange.KEEP).model;
    assertThat(kept.weights()).containsExactly(0.5, -0.25);
    assertThat(kept.bias()).isEqualTo(0.125);
    assertThat(kept.count()).isEqualTo(7);
    assertThat(changed("keep")).isEqualTo(1);
    // written back, it carries the settings it is now stepped under
    final ModelSerde.Stored rewritten = ModelSerde.reader().read(
        new ModelSerde(sigmoid.stepSettings()).toBytes(kept));
    assertThat(rewritten.settings()).isEqualTo(sigmoid.stepSettings());

    assertThatThrownBy(() -> load("k", new ModelSpec(3, true, Activation.TANH, 0.1, null, 0.0),
        OnSettingsChange.KEEP)).isInstanceOf(SettingsMismatchException.class)
        .hasMessageContaining("features 2 → 3").hasMessageContaining("keep cannot keep weights "
            + "of another shape");
  }

  /** Bytes gradstream 0.1.0 wrote (ModelState version 1, no settings), from a file in the tests. */
  private static List<byte[]> released() throws Exception {
    return Fixtures.hexLines("/released/model-state-v1.hex");
  }

  @Test
  void modelsStoredByTheReleasedVersionLoadUnchangedAndAreComparedByShape() throws Exception {
    final List<byte[]> v1 = released();
    final ModelSerde.Stored first = ModelSerde.reader().read(v1.get(0));
    assertThat(first.model().weights()).containsExactly(0.1, -0.0, Double.MIN_VALUE, 1e308);
    assertThat(Double.doubleToRawLongBits(first.model().weights()[1])).isEqualTo(Long.MIN_VALUE);
    assertThat(first.model().bias()).isEqualTo(-3.3e-7);
    assertThat(first.model().count()).isEqualTo(42);
    assertThat(first.model().lossSum()).isEqualTo(0.123456789012345678);
    assertThat(first.settings()).isEmpty();
    final ModelSerde.Stored second = ModelSerde.reader().read(v1.get(1));
    assertThat(second.model().weights()).containsExactly(1.5, 2.5);
    assertThat(second.model().hasBias()).isFalse();
    assertThat(second.model().count()).isEqualTo(3);

    // no settings recorded: the shape decides
    inner.put(Bytes.wrap("old".getBytes(StandardCharsets.UTF_8)), v1.get(1));
    final ModelSpec sameShape = new ModelSpec(2, false, Activation.RELU, 0.3, null, 0.0);
    assertThat(load("old", sameShape, OnSettingsChange.REFUSE).model.count()).isEqualTo(3);
    assertThatThrownBy(() -> load("old", TANH_2_BIAS, OnSettingsChange.REFUSE))
        .hasMessageContaining("differs from the running settings: bias false → true;");
  }
}
