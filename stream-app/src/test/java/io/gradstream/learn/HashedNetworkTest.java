package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.HashedVector;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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
}
