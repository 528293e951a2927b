package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A K-class model (--loss cross-entropy): one layer of K rows, or a network whose output layer has
 * K units, learning through the softmax. Its gradient against central finite differences of the
 * cross-entropy written again here over nested arrays, a step worked by hand, the labels it
 * refuses, and the settings it does not take.
 */
class MulticlassNetworkTest {
  private static final double H = 1e-6;

  static ModelSpec spec(final int n, final int[] units, final Classes classes,
      final double[] start) {
    return new ModelSpec(n, false, Activation.SIGMOID, 0.05, null, 0.0,
        Loss.crossEntropy(classes), OptimizerSettings.sgd(),
        units.length == 0 ? HiddenLayers.NONE : new HiddenLayers(units, Activation.TANH, 42L,
            start));
  }

  @Test
  void everyParameterMatchesFiniteDifferencesOfTheCrossEntropy() {
    final Random random = new Random(29);
    int checked = 0;
    for (int trial = 0; trial < 60; trial++) {
      final int n = 1 + random.nextInt(4);
      final int k = 2 + random.nextInt(5);
      final int[] units = new int[random.nextInt(3)];
      for (int u = 0; u < units.length; u++) {
        units[u] = 1 + random.nextInt(5);
      }
      final Layers layers = Layers.of(n, units, k);
      final double[] p = new double[layers.parameters()];
      for (int i = 0; i < p.length; i++) {
        p[i] = random.nextGaussian() * 0.8;
      }
      final double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = random.nextGaussian();
      }
      final int d = random.nextInt(k);
      final ModelSpec spec = spec(n, units, Classes.numbered(k), units.length == 0 ? null : p);
      final Model model = units.length == 0
          ? Model.network(layers, p.clone(), 0L, 0.0, new double[0]) : Model.initial(spec);
      assertThat(model.layers()).isEqualTo(spec.layers());
      final StepResult step = new StepResult();
      assertThat(new Network(spec).learn(model, x, d, step)).isEqualTo(Verdict.TRAINED);

      final double[] probabilities = probabilities(layers, p, x);
      assertThat(step.loss()).isCloseTo(-Math.log(probabilities[d]), within(1e-12));
      assertThat(step.y()).isCloseTo(probabilities[d], within(1e-14));
      assertThat(step.e()).isCloseTo(1.0 - probabilities[d], within(1e-14));
      assertThat(step.probabilities()).hasSize(k);
      for (int j = 0; j < k; j++) {
        assertThat(step.probabilities()[j]).isCloseTo(probabilities[j], within(1e-14));
      }
      int best = 0;
      for (int j = 1; j < k; j++) {
        best = probabilities[j] > probabilities[best] ? j : best;
      }
      assertThat(step.label()).isEqualTo(best);

      double squares = 0.0;
      for (int i = 0; i < p.length; i++) {
        final double[] plus = p.clone();
        final double[] minus = p.clone();
        plus[i] += H;
        minus[i] -= H;
        final double numeric = (-Math.log(probabilities(layers, plus, x)[d])
            + Math.log(probabilities(layers, minus, x)[d])) / (2 * H);
        assertThat(step.gradient()[i]).as("dL/dθ%d of %s", i, layers)
            .isCloseTo(numeric, within(1e-6 * Math.max(1.0, Math.abs(numeric))));
        squares += numeric * numeric;
        assertThat(model.weights()[i]).isEqualTo(p[i] - 0.05 * step.gradient()[i]);
      }
      assertThat(step.gradientNorm()).isCloseTo(Math.sqrt(squares), within(1e-6));
      checked++;
    }
    assertThat(checked).isEqualTo(60);
  }

  /**
   * softmax of the last layer's scores, from the layout's definition (W row-major, then b, layer
   * after layer; tanh below the output), computed plainly: e^z / Σ e^z.
   */
  private static double[] probabilities(final Layers layers, final double[] p,
      final double[] x) {
    final int[] sizes = layers.sizes();
    double[] in = x;
    int at = 0;
    for (int l = 1; l < sizes.length; l++) {
      final double[] out = new double[sizes[l]];
      final int biases = at + sizes[l] * sizes[l - 1];
      for (int j = 0; j < sizes[l]; j++) {
        double s = p[biases + j];
        for (int i = 0; i < sizes[l - 1]; i++) {
          s += p[at + j * sizes[l - 1] + i] * in[i];
        }
        out[j] = l == sizes.length - 1 ? s : Math.tanh(s);
      }
      at = biases + sizes[l];
      in = out;
    }
    double sum = 0.0;
    for (final double z : in) {
      sum += Math.exp(z);
    }
    final double[] probabilities = new double[in.length];
    for (int j = 0; j < in.length; j++) {
      probabilities[j] = Math.exp(in[j]) / sum;
    }
    return probabilities;
  }

  @Test
  void oneLayerFromZerosTakesTheStepWorkedByHand() {
    // n = 2, K = 3, η = 0.5, x = (1, 2), d = 2: p = (1/3, 1/3, 1/3), L = ln 3,
    // ∂L/∂W_j = (p_j − [j = 2])·x, ∂L/∂b_j = p_j − [j = 2]
    final ModelSpec spec = new ModelSpec(2, false, Activation.SIGMOID, 0.5, null, 0.0,
        Loss.crossEntropy(Classes.named(List.of("cat", "dog", "bird"))),
        OptimizerSettings.sgd());
    final Learner learner = Learner.of(spec);
    final Model model = learner.newModel();
    assertThat(model.weights()).containsOnly(0.0).hasSize(9);
    final StepResult step = new StepResult();
    assertThat(learner.learn(model, new double[] {1, 2}, 2, step)).isEqualTo(Verdict.TRAINED);
    assertThat(step.loss()).isCloseTo(Math.log(3), within(1e-15));
    assertThat(step.y()).isCloseTo(1.0 / 3, within(1e-15));
    assertThat(step.label()).as("the first of equal probabilities").isZero();
    final double sixth = 1.0 / 6;
    assertThat(model.weights()).usingComparatorWithPrecision(1e-15).containsExactly(
        -sixth, -2 * sixth, -sixth, -2 * sixth, 2 * sixth, 4 * sixth, // W, a row per class
        -sixth, -sixth, 2 * sixth); // b
    assertThat(model.count()).isEqualTo(1);
    assertThat(model.lossSum()).isCloseTo(Math.log(3), within(1e-15));

    // now z = (−1, −1, 2) at the same x: class 2, p_2 = e² / (2e⁻¹ + e²)
    assertThat(learner.predict(model, new double[] {1, 2}, step)).isEqualTo(Verdict.PREDICTED);
    assertThat(step.label()).isEqualTo(2);
    final double p2 = Math.exp(2) / (2 * Math.exp(-1) + Math.exp(2));
    assertThat(step.y()).isCloseTo(p2, within(1e-15));
    assertThat(step.net()).isCloseTo(2.0, within(1e-15));
    assertThat(step.probabilities()).usingComparatorWithPrecision(1e-15)
        .containsExactly((1 - p2) / 2, (1 - p2) / 2, p2);
    assertThat(model.count()).as("a prediction changes nothing").isEqualTo(1);
  }

  @Test
  void aLabelNoClassTakesChangesNothing() {
    final ModelSpec spec = spec(2, new int[] {3}, Classes.numbered(3), null);
    final Learner learner = Learner.of(spec);
    final Model model = learner.newModel();
    final double[] before = model.weights().clone();
    final StepResult step = new StepResult();
    for (final double d : new double[] {-1, 1.5, 3, 1e9}) {
      assertThat(learner.learn(model, new double[] {1, 2}, d, step)).as("d %s", d)
          .isEqualTo(Verdict.LABEL_OUT_OF_RANGE);
    }
    assertThat(learner.learn(model, new double[] {1, 2}, Double.NaN, step))
        .isEqualTo(Verdict.NON_FINITE_LABEL);
    assertThat(model.weights()).containsExactly(before);
    assertThat(model.count()).isZero();
    assertThat(learner.learn(model, new double[] {1, 2}, 2, step)).isEqualTo(Verdict.TRAINED);
  }

  @Test
  void aNetworkOfKClassesStartsFromGlorotWithFanOutK() {
    final ModelSpec spec = spec(3, new int[] {4}, Classes.numbered(5), null);
    final double[] p = Model.initial(spec).weights();
    assertThat(p).hasSize(4 * 3 + 4 + 5 * 4 + 5);
    // the output layer's weights lie within ±√(6/(4 + 5)), drawn after the first layer's
    final double[] expected = new Layers(new int[] {3, 4, 5}).glorot(42L);
    assertThat(p).containsExactly(expected);
    final SplitMix64 random = new SplitMix64(42L);
    for (int k = 0; k < 12; k++) {
      random.nextUnit();
    }
    final double a = Math.sqrt(6.0 / 9);
    assertThat(p[16]).isEqualTo(a * (2.0 * random.nextUnit() - 1.0));
    assertThat(spec.optimizerStateSize()).isZero();
  }

  @Test
  void settingsThatDoNotApplyAreRefusedWithTheirReason() {
    final Loss three = Loss.crossEntropy(Classes.numbered(3));
    assertThatThrownBy(() -> new ModelSpec(2, false, Activation.TANH, 0.1, null, 0.0, three))
        .hasMessageContaining("--activation tanh does not apply");
    assertThatThrownBy(() -> new ModelSpec(2, true, Activation.SIGMOID, 0.1, null, 0.0, three))
        .hasMessageContaining("every class has its bias");
    assertThatThrownBy(() -> new ModelSpec(2, false, Activation.SIGMOID, 0.1,
        new double[] {1, 2}, 0.0, three)).hasMessageContaining("starts from zeros");
    assertThatThrownBy(() -> new ModelSpec(1 << 4, false, Activation.SIGMOID, 0.1, null, 0.0,
        three, OptimizerSettings.sgd(), HiddenLayers.NONE, new FeatureHashing(4, List.of(), 10)))
        .hasMessageContaining("--hash-bits does not take --loss cross-entropy");
    assertThatThrownBy(() -> Loss.of("cross-entropy", 1.0))
        .hasMessageContaining("--classes K or --class-names");
    // FTRL starts at 0, where one layer learns; a network does not
    final OptimizerSettings ftrl = OptimizerSettings.of(OptimizerKind.FTRL);
    assertThat(new ModelSpec(2, false, Activation.SIGMOID, 0.1, null, 0.0, three, ftrl)
        .optimizerStateSize()).isGreaterThan(9);
    assertThatThrownBy(() -> new ModelSpec(2, false, Activation.SIGMOID, 0.1, null, 0.0, three,
        ftrl, HiddenLayers.of(new int[] {2}, Activation.TANH, 1L)))
        .hasMessageContaining("ftrl does not apply to hidden layers");
  }

  @Test
  void classesAreTwoToAThousandWithDistinctNamesThatAreNotNumbers() {
    assertThatThrownBy(() -> Classes.numbered(1)).hasMessageContaining("2 to 1000 classes");
    assertThatThrownBy(() -> Classes.numbered(1001)).hasMessageContaining("got 1001");
    assertThat(Classes.numbered(1000).count()).isEqualTo(Classes.MAX);
    assertThatThrownBy(() -> Classes.named(List.of("a", "b", "a")))
        .hasMessageContaining("'a' is given twice");
    assertThatThrownBy(() -> Classes.named(List.of("a", "7")))
        .hasMessageContaining("'7' is a number");
    assertThatThrownBy(() -> Classes.named(List.of("a", " b")))
        .hasMessageContaining("does not begin or end with a space");
    assertThatThrownBy(() -> new Classes(3, List.of("a", "b")))
        .hasMessageContaining("3 classes need 3 names");

    final Classes named = Classes.named(List.of("cat", "dog", "bird"));
    assertThat(named.label("cat")).isEqualTo(0.0);
    assertThat(named.label("dog")).isEqualTo(1.0);
    assertThat(named.label("2")).as("an index as text").isEqualTo(2.0);
    assertThat(named.label("cow")).isEqualTo(-1.0);
    assertThat(named.name(2)).isEqualTo("bird");
    assertThat(Classes.numbered(3).name(2)).isEqualTo("2");
    assertThat(named.accepts(2.0)).isTrue();
    assertThat(named.accepts(3.0)).isFalse();
    assertThat(named.accepts(-0.5)).isFalse();
    assertThat(named.accepts(1.5)).isFalse();
  }

  @Test
  void theClassesAreStepSettings() {
    final ModelSpec named = new ModelSpec(2, false, Activation.SIGMOID, 0.1, null, 0.0,
        Loss.crossEntropy(Classes.named(List.of("a", "b"))));
    assertThat(named.stepSettings()).containsEntry("loss", "cross-entropy")
        .containsEntry("class-names", "a,b").doesNotContainKey("classes");
    final ModelSpec numbered = new ModelSpec(2, false, Activation.SIGMOID, 0.1, null, 0.0,
        Loss.crossEntropy(Classes.numbered(4)));
    assertThat(numbered.stepSettings()).containsEntry("classes", "4");
    assertThat(numbered.layers().sizes()).containsExactly(2, 4);
    assertThat(numbered.toString()).startsWith("features=2 classes=4 learningRate=0.1")
        .contains("loss=cross-entropy");
  }
}
