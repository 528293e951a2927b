package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.HashedVector;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A network over hashed inputs against the dense network (itself held to torch) over the dense
 * vectors of the same events: the same starting weights and the same steps, bit for bit, while
 * it keeps only the columns its events touched.
 */
class HashedNetworkTest {
  private static final int BITS = 6;

  @ParameterizedTest
  @CsvSource({"SGD, squared, identity", "ADAGRAD, squared, identity", "SGD, logistic, sigmoid",
      "ADAGRAD, huber, tanh"})
  void stepForStepTheDenseNetworkOnTheDenseVector(final OptimizerKind kind, final String loss,
      final String output) {
    final HiddenLayers hidden = HiddenLayers.of(new int[] {4, 3}, Activation.TANH, 42L);
    final ModelSpec dense = new ModelSpec(1 << BITS, false, Activation.fromId(output), 0.05,
        null, 0.0, Loss.of(loss, 1.0), OptimizerSettings.of(kind), hidden);
    final ModelSpec hashedSpec = new ModelSpec(1 << BITS, false, Activation.fromId(output), 0.05,
        null, 0.0, Loss.of(loss, 1.0), OptimizerSettings.of(kind), hidden,
        FeatureHashing.of(BITS));
    final Network network = new Network(dense);
    final HashedNetwork hashed = new HashedNetwork(hashedSpec);
    final Model d = network.newModel();
    final Model h = hashed.newModel();
    final Random random = new Random(3);
    final HashedVector x = new HashedVector();
    final StepResult outD = new StepResult();
    final StepResult outH = new StepResult();
    for (int n = 0; n < 300; n++) {
      x.clear();
      final double[] full = new double[1 << BITS];
      for (int t = 0; t < 1 + random.nextInt(6); t++) {
        final int c = random.nextInt(40); // coordinates 40..63 are never touched
        final double v = random.nextGaussian();
        x.add(c, v);
      }
      final HashedVector canonical = x.canonical();
      for (int i = 0; i < canonical.size(); i++) {
        full[canonical.coordinate(i)] = canonical.value(i);
      }
      final double label = loss.equals("logistic") ? random.nextInt(2) : random.nextGaussian();
      assertThat(hashed.learn(h, canonical, label, outH)).isEqualTo(Verdict.TRAINED);
      assertThat(network.learn(d, full, label, outD)).isEqualTo(Verdict.TRAINED);
      assertThat(outH.y()).as("event %d y", n).isEqualTo(outD.y());
      assertThat(outH.loss()).isEqualTo(outD.loss());
      assertThat(outH.gradientNorm()).isEqualTo(outD.gradientNorm());
      assertThat(outH.e()).isEqualTo(outD.e());
      assertThat(outH.net()).isEqualTo(outD.net());
      assertThat(outH.fPrime()).isEqualTo(outD.fPrime());
      // summed over the parameters in another order: the same to the last bits
      assertThat(outH.updateNorm()).isCloseTo(outD.updateNorm(),
          within(1e-12 * (1 + outD.updateNorm())));
      assertThat(outH.layerGradientNorms()).containsExactly(outD.layerGradientNorms());
    }
    // every parameter of the dense network: a touched column stored, an untouched one the start
    final Layers layers = dense.layers();
    final double[] p = d.weights();
    final SparseColumns columns = h.columns();
    assertThat(columns.size()).isEqualTo(40);
    for (int j = 0; j < 4; j++) {
      for (int c = 0; c < 1 << BITS; c++) {
        final double expected = p[layers.weightsAt(1) + j * (1 << BITS) + c];
        final int slot = columns.slot(c);
        if (slot >= 0) {
          assertThat(columns.value(slot, j)).as("W1[%d][%d]", j, c).isEqualTo(expected);
        } else {
          assertThat(expected).isEqualTo(network.newModel().weights()[layers.weightsAt(1)
              + j * (1 << BITS) + c]);
        }
      }
      assertThat(h.weights()[j]).as("b1[%d]", j).isEqualTo(p[layers.biasesAt(1) + j]);
    }
    for (int l = 2; l <= layers.count(); l++) {
      for (int k = layers.weightsAt(l); k < layers.biasesAt(l) + layers.units(l); k++) {
        assertThat(h.weights()[4 + k - layers.weightsAt(2)]).as("layer %d parameter %d", l, k)
            .isEqualTo(p[k]);
      }
    }
    // a prediction through an untouched coordinate uses its starting column
    x.clear();
    x.add(60, 1.5);
    final double[] full = new double[1 << BITS];
    full[60] = 1.5;
    assertThat(hashed.predict(h, x, outH)).isEqualTo(Verdict.PREDICTED);
    assertThat(network.predict(d, full, outD)).isEqualTo(Verdict.PREDICTED);
    assertThat(outH.y()).isEqualTo(outD.y());
    assertThat(List.of(columns.size())).containsExactly(40);
  }

  @ParameterizedTest
  @CsvSource({"SGD", "ADAGRAD"})
  void aCopyStepsOnItsOwnAndAFreshStateKeepsTheColumns(final OptimizerKind kind) {
    final ModelSpec spec = new ModelSpec(1 << BITS, false, Activation.IDENTITY, 0.05, null, 0.0,
        Loss.SQUARED, OptimizerSettings.of(kind), HiddenLayers.of(new int[] {3}, Activation.TANH,
            7L), FeatureHashing.of(BITS));
    final HashedNetwork network = new HashedNetwork(spec);
    final Model model = Model.initial(spec);
    assertThat(model.columns().size()).isZero();
    assertThat(model.optimizerState()).hasSize(spec.optimizerStateSize());
    final HashedVector x = new HashedVector();
    x.add(5, 1.0);
    x.add(9, -2.0);
    network.learn(model, x.canonical(), 1.0, new StepResult());
    final Model copy = model.copy();
    network.learn(copy, x, 0.5, new StepResult());
    assertThat(copy.columns().value(0, 0)).isNotEqualTo(model.columns().value(0, 0));
    assertThat(model.count()).isEqualTo(1);
    final Model fresh = model.withFreshState(spec);
    assertThat(fresh.columns().size()).isEqualTo(2);
    assertThat(fresh.columns().value(1, 2)).isEqualTo(model.columns().value(1, 2));
    assertThat(fresh.optimizerState()).hasSize(spec.optimizerStateSize());
    assertThat(Arrays.stream(fresh.optimizerState()).allMatch(v -> v == 0.0)).isTrue();
    if (kind == OptimizerKind.ADAGRAD) {
      assertThat(model.columns().state(0, 0, 0)).isPositive();
      assertThat(fresh.columns().state(0, 0, 0)).isZero();
    }
    assertThat(model.withScaler(null).columns()).isSameAs(model.columns());
    // at its limit of coordinates, an event with a new one is refused and changes nothing
    final HashedNetwork two = new HashedNetwork(new ModelSpec(1 << BITS, false,
        Activation.IDENTITY, 0.05, null, 0.0, Loss.SQUARED, OptimizerSettings.of(kind),
        HiddenLayers.of(new int[] {3}, Activation.TANH, 7L),
        new FeatureHashing(BITS, List.of(), 10, 2)));
    final Model full = two.newModel();
    assertThat(two.learn(full, x, 1.0, new StepResult())).isEqualTo(Verdict.TRAINED);
    final Model before = full.copy();
    final HashedVector more = new HashedVector();
    more.add(5, 1.0);
    more.add(11, 1.0);
    assertThat(two.learn(full, more, 1.0, new StepResult())).isEqualTo(Verdict.MODEL_FULL);
    ModelAssert.assertBitIdentical("refused", full, before);
    more.clear();
    more.add(9, 1.0);
    assertThat(two.learn(full, more, 1.0, new StepResult())).isEqualTo(Verdict.TRAINED);
    assertThat(model.withOptimizerState(model.optimizerState()).columns())
        .isSameAs(model.columns());
  }

  @ParameterizedTest
  @CsvSource({"SGD", "ADAGRAD"})
  void whatItRefusesChangesNothing(final OptimizerKind kind) {
    final ModelSpec spec = new ModelSpec(1 << BITS, false, Activation.SIGMOID, 0.05, null, 0.0,
        Loss.LOGISTIC, OptimizerSettings.of(kind), HiddenLayers.of(new int[] {3},
            Activation.TANH, 7L), new FeatureHashing(BITS, List.of(), 10, 3));
    final HashedLearner network = HashedLearner.of(spec);
    assertThat(network).isInstanceOf(HashedNetwork.class);
    assertThat(network.spec()).isSameAs(spec);
    final Model model = network.newModel();
    final HashedVector x = new HashedVector();
    x.add(1, 1.0);
    x.add(2, 1.0);
    x.add(3, 1.0);
    final StepResult out = new StepResult();
    assertThat(network.learn(model, x, 1.0, out)).isEqualTo(Verdict.TRAINED);
    final Model before = model.copy();
    final HashedVector nan = new HashedVector();
    nan.add(1, Double.NaN);
    assertThat(network.learn(model, nan, 1.0, out)).isEqualTo(Verdict.NON_FINITE_FEATURE);
    assertThat(network.predict(model, nan, out)).isEqualTo(Verdict.NON_FINITE_FEATURE);
    assertThat(network.learn(model, x, 2.0, out)).isEqualTo(Verdict.LABEL_OUT_OF_RANGE);
    assertThat(network.learn(model, x, Double.NaN, out)).isEqualTo(Verdict.NON_FINITE_LABEL);
    // fewer terms after more, at the limit: only its own count
    final HashedVector two = new HashedVector();
    two.add(1, 0.5);
    two.add(2, 0.5);
    ModelAssert.assertBitIdentical("refused", model, before);
    assertThat(network.learn(model, two, 0.0, out)).isEqualTo(Verdict.TRAINED);
    assertThat(network.predict(model, two, out)).isEqualTo(Verdict.PREDICTED);
    assertThat(HashedLearner.of(new ModelSpec(1 << BITS, true, Activation.SIGMOID, 0.05, null,
        0.0, Loss.LOGISTIC, OptimizerSettings.of(kind), HiddenLayers.NONE,
        FeatureHashing.of(BITS)))).isInstanceOf(HashedNeuron.class);
  }

  @Test
  void storedColumnsComeBackWhole() {
    final SparseColumns columns = SparseColumns.of(2, 1, new int[] {7, 3},
        new double[] {1, 2, 3, 4}, new double[] {5, 6, 7, 8});
    assertThat(columns.size()).isEqualTo(2);
    assertThat(columns.width()).isEqualTo(2);
    assertThat(columns.stateSlots()).isEqualTo(1);
    assertThat(columns.value(columns.slot(3), 1)).isEqualTo(4);
    assertThat(columns.state(columns.slot(7), 0, 1)).isEqualTo(6);
    assertThat(columns.state(columns.slot(3), 0, 0)).isEqualTo(7);
    assertThat(columns.coordinatesBySlot()).startsWith(7, 3);
    assertThat(columns.valuesBySlot()).startsWith(1, 2, 3, 4);
    assertThat(columns.statesBySlot()).startsWith(5, 6, 7, 8);
    // many columns: the arrays grow and keep what they hold
    final SparseColumns many = new SparseColumns(3, 1);
    for (int c = 0; c < 100; c++) {
      final int slot = many.add(c, new double[] {c, c + 0.5, c + 0.25}, 0);
      many.setState(slot, 0, 2, -c);
    }
    for (int c = 0; c < 100; c++) {
      assertThat(many.value(many.slot(c), 1)).isEqualTo(c + 0.5);
      assertThat(many.state(many.slot(c), 0, 2)).isEqualTo(-c);
    }
    assertThatThrownBy(() -> SparseColumns.of(2, 1,
        new int[] {1}, new double[3], new double[2]))
        .hasMessage("1 columns of 2 need 2 weights and 2 states, got 3 and 2");
    assertThatThrownBy(() -> SparseColumns.of(1, 0,
        new int[] {1, 1}, new double[2], new double[0]))
        .hasMessage("coordinate 1 is stored twice");
  }
}
