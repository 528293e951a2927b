package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import org.junit.jupiter.api.Test;

/** A model that scales starts with a scaler of its kind and keeps it as a value of its own. */
class ScaledModelTest {
  private static ModelSpec spec(final int bits, final FeatureScaling scaling) {
    return new ModelSpec(bits > 0 ? 1 << bits : 3, true, Activation.IDENTITY, 0.1, null, 0.0,
        Loss.SQUARED, OptimizerSettings.of(OptimizerKind.ADAGRAD), HiddenLayers.NONE,
        bits > 0 ? FeatureHashing.of(bits) : FeatureHashing.NONE, scaling);
  }

  @Test
  void aNewModelScalesXByCoordinateOrNamedFeaturesByName() {
    final Model dense = Model.initial(spec(0, FeatureScaling.STANDARD));
    assertThat(dense.scaler().byName()).isFalse();
    assertThat(dense.scaler().size()).isEqualTo(3);
    final Model hashed = Model.initial(spec(8, FeatureScaling.STANDARD));
    assertThat(hashed.scaler().byName()).isTrue();
    assertThat(hashed.scaler().size()).isZero();
    assertThat(Model.initial(spec(0, FeatureScaling.NONE)).scaler()).isNull();
    assertThat(Model.initial(spec(8, FeatureScaling.NONE)).scaler()).isNull();
    assertThat(Model.freshScaler(spec(0, FeatureScaling.NONE))).isNull();
  }

  @Test
  void aCopyScalesOnItsOwnAndAFreshStateKeepsTheScaler() {
    final ModelSpec spec = spec(0, FeatureScaling.STANDARD);
    final Model model = Model.initial(spec);
    model.scaler().commit(new double[] {1, 2, 3});
    final Model copy = model.copy();
    copy.scaler().commit(new double[] {3, 4, 5});
    assertThat(model.scaler().moments()[0]).isEqualTo(1);
    assertThat(copy.scaler().moments()[0]).isEqualTo(2);
    assertThat(model.withFreshState(spec).scaler()).isSameAs(model.scaler());
    assertThat(model.withOptimizerState(new double[7]).scaler()).isSameAs(model.scaler());
    assertThat(model.withScaler(null).scaler()).isNull();
    assertThat(model.withScaler(null).weights()).isSameAs(model.weights());
  }
}
