package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.optim.LrSchedule;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
  private static ModelSpec relu(final boolean bias, final double[] w, final double b) {
    return new ModelSpec(w.length, bias, Activation.RELU, 0.1, w, b);
  }

  @Test
  void reluFromAZeroStartIsWarnedAboutBecauseItNeverLearns() {
    // checked by hand: w = 0 and b ≤ 0 give net ≤ 0 for every x, relu'(net) = 0, gradient 0
    final Model stuck = Model.initial(relu(false, new double[] {0, 0}, 0));
    assertThat(new Neuron(relu(false, new double[] {0, 0}, 0)).learn(stuck,
        new double[] {1, 2}, 5, new StepResult())).isEqualTo(Verdict.TRAINED);
    assertThat(stuck.weights()).containsExactly(0.0, 0.0);

    assertThat(relu(false, new double[] {0, 0}, 0).warnings()).singleElement().asString()
        .startsWith("relu from all-zero starting weights never learns")
        .contains("--init-weights").doesNotContain("--init-bias");
    assertThat(relu(true, new double[] {0}, 0).warnings()).singleElement().asString()
        .contains("and a bias ≤ 0").contains("a positive --init-bias");
    assertThat(relu(true, new double[] {0}, -1).warnings()).hasSize(1);
    // any way out of net = 0 learns
    assertThat(relu(false, new double[] {0, 0.1}, 0).warnings()).isEmpty();
    assertThat(relu(true, new double[] {0}, 0.1).warnings()).isEmpty();
    assertThat(new ModelSpec(1, false, Activation.LEAKY_RELU, 0.1, null, 0).warnings()).isEmpty();
    assertThat(ModelSpec.defaults(3).warnings()).isEmpty();
  }

  @Test
  void stepSettingsNameEverythingThatDecidesAStepAndLeaveOutWhatWasThereBeforeTheyWereStored() {
    // squared loss and plain SGD are how every model was trained before they were settings
    assertThat(new ModelSpec(4, true, Activation.TANH, 0.05, null, 0.5).stepSettings())
        .isEqualTo(Map.of("activation", "tanh", "learning-rate", "0.05"));
    final ModelSpec adam = new ModelSpec(2, true, Activation.SIGMOID, 0.01, null, 0,
        Loss.LOGISTIC, new OptimizerSettings(OptimizerKind.ADAM, null, 0.8, null,
            null, null, null, null, null, null, LrSchedule.INVSCALING, 0.25, 5));
    assertThat(adam.stepSettings()).isEqualTo(Map.of("activation", "sigmoid",
        "learning-rate", "0.01", "loss", "logistic", "optimizer", "adam", "beta1", "0.8",
        "beta2", "0.999", "epsilon", "1.0E-8", "lr-schedule", "invscaling", "power-t", "0.25",
        "clip-norm", "5.0"));
  }

  private static ModelSpec network(final int[] units, final Activation hidden, final long seed,
      final boolean bias, final String optimizer) {
    return new ModelSpec(2, bias, Activation.IDENTITY, 0.1, null, 0.0, Loss.SQUARED,
        OptimizerSettings.of(OptimizerKind.named(optimizer)), HiddenLayers.of(units, hidden, seed));
  }

  @Test
  void aNetworkSpecIsCheckedComparedAndNamed() {
    final ModelSpec a = network(new int[] {3, 2}, Activation.TANH, 42, false, "sgd");
    assertThat(a).isEqualTo(network(new int[] {3, 2}, Activation.TANH, 42, false, "sgd"))
        .hasSameHashCodeAs(network(new int[] {3, 2}, Activation.TANH, 42, false, "sgd"))
        .isNotEqualTo(network(new int[] {3}, Activation.TANH, 42, false, "sgd"))
        .isNotEqualTo(network(new int[] {3, 2}, Activation.RELU, 42, false, "sgd"))
        .isNotEqualTo(network(new int[] {3, 2}, Activation.TANH, 7, false, "sgd"))
        .isNotEqualTo(new ModelSpec(2, false, Activation.IDENTITY, 0.1, null, 0.0));
    // every layer of a network has biases and Glorot weights: no "bias=false", no init weights
    assertThat(a.toString()).startsWith("features=2 hidden=3,2 hidden-activation=tanh "
        + "init-seed=42 activation=").doesNotContain("bias=").doesNotContain("initWeights");
    assertThat(new ModelSpec(2, false, Activation.IDENTITY, 0.1, null, 0.0).toString())
        .startsWith("features=2 bias=false activation=identity learningRate=0.1 "
            + "initWeights=[0.0, 0.0] clip-norm=none loss=squared lr-schedule=constant "
            + "optimizer=sgd weight-decay=0.0");
    assertThat(a.layers().sizes()).containsExactly(2, 3, 2, 1);
    // (3·3) + (2·4) + (1·3) parameters, Adam's two slots each and its step
    assertThat(network(new int[] {3, 2}, Activation.TANH, 42, false, "adam")
        .optimizerStateSize()).isEqualTo(1 + 2 * 20);
    assertThat(a.stepSettings()).containsEntry("hidden", "3,2")
        .containsEntry("hidden-activation", "tanh");
    assertThat(new ModelSpec(2, false, Activation.IDENTITY, 0.1, null, 0.0).stepSettings())
        .doesNotContainKey("hidden");
    // relu hidden units start from Glorot's weights: no warning
    assertThat(network(new int[] {3}, Activation.RELU, 1, false, "sgd").warnings()).isEmpty();
    assertThat(new ModelSpec(2, false, Activation.RELU, 0.1, null, 0.0, Loss.SQUARED,
        OptimizerSettings.sgd(), HiddenLayers.of(new int[] {3},
            Activation.TANH, 1)).warnings()).isEmpty();

    Assertions.assertThatThrownBy(
        () -> network(new int[] {3}, Activation.TANH, 42, true, "sgd"))
        .hasMessageContaining("every layer has its biases");
    Assertions.assertThatThrownBy(
        () -> network(new int[] {3}, Activation.TANH, 42, false, "ftrl"))
        .hasMessageContaining("ftrl does not apply to hidden layers");
    Assertions.assertThatThrownBy(() -> new ModelSpec(2, false,
        Activation.IDENTITY, 0.1, new double[] {1, 2}, 0.0, Loss.SQUARED,
        OptimizerSettings.sgd(), HiddenLayers.of(new int[] {3},
            Activation.TANH, 1))).hasMessageContaining("init weights and init bias are for one");
    Assertions.assertThatThrownBy(() -> new ModelSpec(2, false,
        Activation.IDENTITY, 0.1, null, 0.0, Loss.SQUARED,
        OptimizerSettings.sgd(), new HiddenLayers(new int[] {3},
            Activation.TANH, 1, new double[] {1, 2}))).hasMessageContaining(
        "the starting network has 2 parameters, a network [2, 3, 1] has 13");
  }

  @Test
  void aNetworkWithoutHiddenLayersIsAShapeOfItsOwn() {
    final Layers single = new Layers(new int[] {3, 1});
    assertThat(single.count()).isEqualTo(1);
    assertThat(single.parameters()).isEqualTo(4);
    assertThat(single).isNotEqualTo(Layers.of(3, new int[] {1}))
        .hasSameHashCodeAs(new Layers(new int[] {3, 1}));
    Assertions.assertThatThrownBy(() -> new Layers(new int[] {3}))
        .hasMessageContaining("inputs, hidden layers and its outputs");
    Assertions.assertThatThrownBy(() -> new Layers(new int[] {3, 0}))
        .hasMessageContaining("at least one unit");
    // K outputs: a multi-class model's layer of K rows
    assertThat(new Layers(new int[] {3, 2}).parameters()).isEqualTo(8);
    assertThat(Layers.of(3, new int[] {4}, 5).sizes()).containsExactly(3, 4, 5);
    assertThat(Layers.of(3, new int[] {4}, 5).outputs()).isEqualTo(5);
  }

  @Test
  void hashedInputsHave2PowBitsFeaturesNoStartingWeightsAndTheirSettingsAreStored() {
    final FeatureHashing hashing = new FeatureHashing(10,
        List.of(FeatureHashing.Interaction.parse("country:device")), 50);
    final ModelSpec spec = new ModelSpec(1024, true, Activation.SIGMOID, 0.1, null, 0.5,
        Loss.LOGISTIC, OptimizerSettings.of(OptimizerKind.ADAGRAD), HiddenLayers.NONE, hashing);
    assertThat(spec.hashBits()).isEqualTo(10);
    assertThat(spec.initWeights()).isEmpty();
    assertThat(spec.stepSettings()).containsEntry("hash-bits", "10")
        .containsEntry("interactions", "country:device");
    assertThat(spec.optimizerStateSize()).isEqualTo(2); // the step count and the bias's sum
    assertThat(spec.toString()).startsWith("hashBits=10 interactions=[country:device] bias=true");
    final Model fresh = Model.initial(spec);
    assertThat(fresh.hashBits()).isEqualTo(10);
    assertThat(fresh.features()).isEqualTo(1024);
    assertThat(fresh.sparse().size()).isZero();
    assertThat(fresh.optimizerState()).hasSize(2);
    assertThat(spec).isNotEqualTo(new ModelSpec(1024, true, Activation.SIGMOID, 0.1, null, 0.5,
        Loss.LOGISTIC, OptimizerSettings.of(OptimizerKind.ADAGRAD), HiddenLayers.NONE,
        FeatureHashing.of(10)));
    assertThat(ModelSpec.defaults(3).stepSettings()).doesNotContainKey("hash-bits");
  }

  @Test
  void hashedInputsRefuseWhatCannotApplyToThem() {
    final FeatureHashing eight = FeatureHashing.of(8);
    assertThatThrownBy(() -> new ModelSpec(100, true, Activation.IDENTITY, 0.1, null, 0,
        Loss.SQUARED, OptimizerSettings.sgd(), HiddenLayers.NONE, eight))
        .hasMessage("hashed inputs have 2^8 = 256 features, got 100");
    assertThatThrownBy(() -> new ModelSpec(256, true, Activation.IDENTITY, 0.1, new double[256],
        0, Loss.SQUARED, OptimizerSettings.sgd(), HiddenLayers.NONE, eight))
        .hasMessageStartingWith("init weights do not apply to hashed inputs");
    // a network over hashed inputs takes what is exact and sparse for every parameter
    assertThat(new ModelSpec(256, false, Activation.IDENTITY, 0.1, null, 0, Loss.SQUARED,
        OptimizerSettings.sgd(), HiddenLayers.of(new int[] {4}, Activation.TANH, 1L), eight)
        .layers().inputs()).isEqualTo(256);
    assertThatThrownBy(() -> new ModelSpec(256, false, Activation.IDENTITY, 0.1, null, 0,
        Loss.SQUARED, OptimizerSettings.of(OptimizerKind.ADAM), HiddenLayers.of(new int[] {4},
        Activation.TANH, 1L), eight)).hasMessageStartingWith("optimizer adam moves every weight");
    assertThatThrownBy(() -> new ModelSpec(256, false, Activation.IDENTITY, 0.1, null, 0,
        Loss.SQUARED, OptimizerSettings.of(OptimizerKind.FTRL), HiddenLayers.of(new int[] {4},
        Activation.TANH, 1L), eight)).hasMessageStartingWith("ftrl does not apply to hidden");
    assertThatThrownBy(() -> new FeatureHashing(25, List.of(), 10))
        .hasMessage("hash bits must be in 1..24, got 25");
    assertThatThrownBy(() -> new FeatureHashing(0, List.of(), 10))
        .hasMessage("interactions, max terms and max coordinates need --hash-bits");
    assertThatThrownBy(() -> new FeatureHashing(4, List.of(), 0))
        .hasMessage("max terms must be at least 1, got 0");
    assertThatThrownBy(() -> FeatureHashing.Interaction.parse("a:b:c"))
        .hasMessage("interactions name two features, a:b, got 'a:b:c'");
    assertThatThrownBy(() -> FeatureHashing.Interaction.parse(":b"))
        .hasMessage("an interaction names two features, a:b");
  }
}
