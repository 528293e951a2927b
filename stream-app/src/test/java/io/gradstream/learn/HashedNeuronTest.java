package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.HashedVector;
import io.gradstream.learn.optim.LrSchedule;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A neuron over hashed inputs against the dense neuron over the same events written out as dense
 * vectors of 2^B coordinates (the dense neuron is the one held against torch): every step's loss,
 * prediction, gradient norm and update norm, and every weight after 400 events, untouched ones 0.
 */
class HashedNeuronTest {
  private static final int BITS = 6;
  private static final int DIMENSION = 1 << BITS;

  private static OptimizerSettings optimizer(final OptimizerKind kind, final boolean scheduled,
      final double clip) {
    final boolean ftrl = kind == OptimizerKind.FTRL;
    return new OptimizerSettings(kind, null, null, null, null, null, null, null,
        ftrl ? 0.01 : null, ftrl ? 0.1 : null,
        scheduled ? LrSchedule.INVSCALING : LrSchedule.CONSTANT, null, clip);
  }

  /** The same settings over 2^BITS hashed coordinates. */
  private static ModelSpec hashed(final ModelSpec dense) {
    return new ModelSpec(dense.features(), dense.bias(), dense.activation(),
        dense.learningRate(), null, dense.initBias(), dense.loss(), dense.optimizer(),
        HiddenLayers.NONE, FeatureHashing.of(BITS));
  }

  static Stream<Arguments> variants() {
    final List<Arguments> all = new ArrayList<>();
    for (final OptimizerKind kind : List.of(OptimizerKind.SGD, OptimizerKind.ADAGRAD,
        OptimizerKind.FTRL)) {
      for (final String loss : List.of("squared", "logistic")) {
        all.add(Arguments.of(kind, loss, false, 0.0, true));
        all.add(Arguments.of(kind, loss, kind != OptimizerKind.FTRL, 0.5, false));
      }
    }
    return all.stream();
  }

  /** An event of 1 to 8 terms on random coordinates, some on one coordinate. */
  private static HashedVector event(final Random random, final HashedVector into) {
    into.clear();
    for (int t = 1 + random.nextInt(8); t > 0; t--) {
      into.add(random.nextInt(DIMENSION / 2) * 2, random.nextGaussian()); // half never touched
    }
    return into.canonical();
  }

  @ParameterizedTest(name = "{0} {1} scheduled={2} clip={3} bias={4}")
  @MethodSource("variants")
  void stepForStepAsTheDenseNeuronOnTheDenseVector(final OptimizerKind kind, final String loss,
      final boolean scheduled, final double clip, final boolean bias) {
    final boolean logistic = loss.equals("logistic");
    final ModelSpec spec = new ModelSpec(DIMENSION, bias,
        logistic ? Activation.SIGMOID : Activation.TANH, kind == OptimizerKind.FTRL ? 0.5 : 0.1,
        null, 0.0, Loss.of(loss, 1.0), optimizer(kind, scheduled, clip));
    final HashedNeuron hashed = new HashedNeuron(hashed(spec));
    final Neuron dense = new Neuron(spec);
    final Model sparse = hashed.newModel();
    final Model full = dense.newModel();
    final Random random = new Random(kind.ordinal() * 31 + loss.length());
    final HashedVector x = new HashedVector(2);
    final StepResult a = new StepResult();
    final StepResult b = new StepResult();
    final BitSet touched = new BitSet();
    for (int n = 0; n < 400; n++) {
      event(random, x);
      final double[] vector = new double[DIMENSION];
      for (int i = 0; i < x.size(); i++) {
        vector[x.coordinate(i)] = x.value(i);
        touched.set(x.coordinate(i));
      }
      final double d = logistic ? random.nextInt(2) : Math.tanh(vector[0] - vector[2] + 0.3);
      assertThat(hashed.learn(sparse, x, d, a)).isEqualTo(Verdict.TRAINED);
      assertThat(dense.learn(full, vector, d, b)).isEqualTo(Verdict.TRAINED);
      assertThat(a.loss()).isCloseTo(b.loss(), within(1e-12));
      assertThat(a.y()).isCloseTo(b.y(), within(1e-12));
      assertThat(a.gradientNorm()).isCloseTo(b.gradientNorm(), within(1e-12));
      assertThat(a.updateNorm()).isCloseTo(b.updateNorm(), within(1e-12));
      assertThat(a.biasGradient()).isCloseTo(b.biasGradient(), within(1e-12));
      assertThat(a.e()).isCloseTo(b.e(), within(1e-12));
      assertThat(a.fPrime()).isCloseTo(b.fPrime(), within(1e-12));
      assertThat(a.net()).isCloseTo(b.net(), within(1e-12));
    }
    for (int c = 0; c < DIMENSION; c++) {
      assertThat(sparse.sparse().weightAt(c)).as("coordinate %d", c)
          .isCloseTo(full.weights()[c], within(1e-10));
      if (!touched.get(c)) {
        assertThat(full.weights()[c]).isZero();
      }
    }
    assertThat(sparse.sparse().size()).isEqualTo(touched.cardinality());
    assertThat(sparse.bias()).isCloseTo(full.bias(), within(1e-10));
    assertThat(sparse.count()).isEqualTo(full.count()).isEqualTo(400);
    assertThat(sparse.lossSum()).isCloseTo(full.lossSum(), within(1e-9));
    assertThat(hashed.spec().hashBits()).isEqualTo(BITS);
    // the optimizer's state, coordinate by coordinate, is the dense model's at that coordinate
    final int slots = kind.slots();
    final int size = DIMENSION + (bias ? 1 : 0);
    for (int s = 0; s < slots; s++) {
      assertThat(sparse.optimizerState()[0]).isEqualTo(full.optimizerState()[0]);
      for (int c = 0; c < DIMENSION; c++) {
        final int slot = sparse.sparse().slot(c);
        assertThat(slot < 0 ? 0.0 : sparse.sparse().state(slot, s))
            .isCloseTo(full.optimizerState()[1 + s * size + c], within(1e-9));
      }
      if (bias) {
        assertThat(sparse.optimizerState()[1 + s])
            .isCloseTo(full.optimizerState()[1 + s * size + DIMENSION], within(1e-9));
      }
    }
  }

  @Test
  void aPredictionIsTheForwardPassOfTrainingAndChangesNothing() {
    final HashedNeuron neuron = new HashedNeuron(hashed(new ModelSpec(DIMENSION, true,
        Activation.SIGMOID, 0.5, null, 0.0, Loss.LOGISTIC,
        OptimizerSettings.of(OptimizerKind.ADAGRAD))));
    final Model model = neuron.newModel();
    final HashedVector x = new HashedVector();
    final Random random = new Random(9);
    for (int n = 0; n < 50; n++) {
      neuron.learn(model, event(random, x), n % 2, new StepResult());
    }
    final Model before = model.copy();
    final StepResult predicted = new StepResult();
    final StepResult trained = new StepResult();
    assertThat(neuron.predict(model, event(random, x), predicted)).isEqualTo(Verdict.PREDICTED);
    assertThat(model.sparse().size()).isEqualTo(before.sparse().size());
    assertThat(model.count()).isEqualTo(50);
    assertThat(neuron.learn(model, x, 1.0, trained)).isEqualTo(Verdict.TRAINED);
    assertThat(predicted.y()).isEqualTo(trained.y());
    assertThat(predicted.net()).isEqualTo(trained.net());
    assertThat(before.count()).isEqualTo(50); // the copy did not move
    double net = before.bias();
    for (int i = 0; i < x.size(); i++) {
      net += before.sparse().weightAt(x.coordinate(i)) * x.value(i);
    }
    assertThat(predicted.net()).isEqualTo(net);
    assertThat(predicted.y()).isCloseTo(1 / (1 + Math.exp(-net)), within(1e-15));
  }

  @Test
  void aRefusedEventChangesNothing() {
    final HashedNeuron neuron = new HashedNeuron(hashed(new ModelSpec(DIMENSION, true,
        Activation.IDENTITY, 0.1, null, 0.0, Loss.SQUARED,
        OptimizerSettings.of(OptimizerKind.FTRL))));
    final Model model = neuron.newModel();
    final HashedVector x = new HashedVector();
    x.add(3, 1.0);
    assertThat(neuron.learn(model, x.canonical(), 2.0, new StepResult()))
        .isEqualTo(Verdict.TRAINED);
    final StepResult out = new StepResult();
    x.clear();
    x.add(5, Double.NaN);
    assertThat(neuron.learn(model, x, 1.0, out)).isEqualTo(Verdict.NON_FINITE_FEATURE);
    assertThat(neuron.predict(model, x, out)).isEqualTo(Verdict.NON_FINITE_FEATURE);
    x.clear();
    x.add(3, 1.0);
    assertThat(neuron.learn(model, x, Double.POSITIVE_INFINITY, out))
        .isEqualTo(Verdict.NON_FINITE_LABEL);
    x.clear();
    x.add(3, 1e308);
    x.add(4, 1e308);
    assertThat(neuron.learn(model, x.canonical(), 1.0, out)).isEqualTo(Verdict.NON_FINITE_STEP);
    assertThat(model.count()).isEqualTo(1);
    assertThat(model.sparse().size()).isEqualTo(1);
    final HashedNeuron classifier = new HashedNeuron(hashed(new ModelSpec(DIMENSION, true,
        Activation.SIGMOID, 0.1, null, 0.0, Loss.LOGISTIC, OptimizerSettings.sgd())));
    x.clear();
    x.add(1, 1.0);
    assertThat(classifier.learn(classifier.newModel(), x, 2.0, out))
        .isEqualTo(Verdict.LABEL_OUT_OF_RANGE);
  }

  @Test
  void plainSgdRefusesAStepThatWouldOverflowAWeightOrTheBias() {
    final HashedNeuron neuron = new HashedNeuron(hashed(new ModelSpec(DIMENSION, true,
        Activation.IDENTITY, 1e10, null, 0.0, Loss.SQUARED, OptimizerSettings.sgd())));
    final Model model = neuron.newModel();
    final HashedVector x = new HashedVector();
    final StepResult out = new StepResult();
    x.add(2, 1.0);
    assertThat(neuron.learn(model, x.canonical(), 1.0, out)).isEqualTo(Verdict.TRAINED);
    assertThat(model.sparse().weightAt(2)).isEqualTo(1e10);
    assertThat(out.updateNorm()).isEqualTo(1e10 * Math.sqrt(2));
    x.clear();
    x.add(5, 1e300); // w_5 = 1e10 · 1e300: beyond the doubles
    assertThat(neuron.learn(model, x.canonical(), 1.0, out)).isEqualTo(Verdict.NON_FINITE_STEP);
    assertThat(model.sparse().weightAt(5)).isZero();
    assertThat(model.sparse().size()).isEqualTo(1);
    // only the bias overflows: η·e = 1e160 · 1e154, while the loss (½e²), the norm and the
    // weight's change (η·e·1e-300) stay finite
    final HashedNeuron bold = new HashedNeuron(hashed(new ModelSpec(DIMENSION, true,
        Activation.IDENTITY, 1e160, null, 0.0, Loss.SQUARED, OptimizerSettings.sgd())));
    final Model fresh = bold.newModel();
    x.clear();
    x.add(2, 1e-300);
    assertThat(bold.learn(fresh, x.canonical(), 1e154, out)).isEqualTo(Verdict.NON_FINITE_STEP);
    assertThat(out.loss()).isFinite();
    assertThat(fresh.bias()).isZero();
    assertThat(fresh.sparse().size()).isZero();
    assertThat(model.count()).isEqualTo(1);
  }

  @Test
  void aGradientWhoseSquaresOverflowHasItsNormAndAStateThatWouldOverflowIsRefused() {
    final HashedVector x = new HashedVector();
    x.add(3, 1e200);
    final StepResult out = new StepResult();
    // plain SGD: g = −1e200, Σg² overflows, the norm does not; w = 1e-250 · 1e200
    final HashedNeuron sgd = new HashedNeuron(hashed(new ModelSpec(DIMENSION, false,
        Activation.IDENTITY, 1e-250, null, 0.0, Loss.SQUARED, OptimizerSettings.sgd())));
    final Model a = sgd.newModel();
    assertThat(sgd.learn(a, x.canonical(), 1.0, out)).isEqualTo(Verdict.TRAINED);
    assertThat(out.gradientNorm()).isEqualTo(1e200);
    assertThat(a.sparse().weightAt(3)).isCloseTo(1e-50, within(1e-62));
    // plain SGD from 0 with η = 1e110: the same gradient moves w to 1e310, beyond the doubles
    final HashedNeuron bold = new HashedNeuron(hashed(new ModelSpec(DIMENSION, false,
        Activation.IDENTITY, 1e110, null, 0.0, Loss.SQUARED, OptimizerSettings.sgd())));
    final Model c = bold.newModel();
    assertThat(bold.learn(c, x, 1.0, out)).isEqualTo(Verdict.NON_FINITE_STEP);
    assertThat(c.sparse().size()).isZero();
    // finite features whose net overflows: no prediction, and no step
    final HashedVector big = new HashedVector();
    big.add(3, 1e200);
    big.add(4, 1e200);
    final Model d = bold.newModel();
    d.sparse().put(3, 1e200);
    d.sparse().put(4, 1e200);
    assertThat(bold.predict(d, big.canonical(), out)).isEqualTo(Verdict.NON_FINITE_PREDICTION);
    assertThat(bold.learn(d, big, 1.0, out)).isEqualTo(Verdict.NON_FINITE_STEP);
    // AdaGrad: its accumulator g² overflows, so the step is not taken
    final HashedNeuron adagrad = new HashedNeuron(hashed(new ModelSpec(DIMENSION, false,
        Activation.IDENTITY, 0.1, null, 0.0, Loss.SQUARED,
        OptimizerSettings.of(OptimizerKind.ADAGRAD))));
    final Model b = adagrad.newModel();
    assertThat(adagrad.learn(b, x, 1.0, out)).isEqualTo(Verdict.NON_FINITE_STEP);
    assertThat(out.gradientNorm()).isEqualTo(1e200);
    assertThat(b.count()).isZero();
    assertThat(b.sparse().size()).isZero();
    assertThat(b.optimizerState()).containsOnly(0.0);
  }

  @Test
  void optimizersThatMoveEveryWeightAreRefusedInOneLine() {
    for (final OptimizerKind kind : List.of(OptimizerKind.MOMENTUM, OptimizerKind.NESTEROV,
        OptimizerKind.RMSPROP, OptimizerKind.ADAM, OptimizerKind.ADAMW)) {
      final ModelSpec spec = new ModelSpec(DIMENSION, true, Activation.IDENTITY, 0.1, null, 0.0,
          Loss.SQUARED, OptimizerSettings.of(kind));
      assertThatThrownBy(() -> hashed(spec))
          .hasMessage("optimizer " + kind + " moves every weight at every step, so it cannot be "
              + "both exact and sparse on hashed inputs: use sgd, adagrad or ftrl");
    }
    final ModelSpec decay = new ModelSpec(DIMENSION, true, Activation.IDENTITY, 0.1, null, 0.0,
        Loss.SQUARED, new OptimizerSettings(OptimizerKind.SGD, null, null, null, null, null, 0.01,
            null, null, null, LrSchedule.CONSTANT, null, 0));
    assertThatThrownBy(() -> hashed(decay))
        .hasMessageStartingWith("weight decay moves every weight");
  }

  /** A model at its limit of coordinates refuses an event with new ones, and only that. */
  @Test
  void aFullModelRefusesNewCoordinatesAndKeepsLearningOnItsOwn() {
    for (final OptimizerKind kind : List.of(OptimizerKind.SGD, OptimizerKind.ADAGRAD,
        OptimizerKind.FTRL)) {
      final HashedNeuron neuron = new HashedNeuron(new ModelSpec(DIMENSION, true,
          Activation.SIGMOID, 0.1, null, 0.0, Loss.LOGISTIC, OptimizerSettings.of(kind),
          HiddenLayers.NONE, new FeatureHashing(BITS, List.of(), 10, 3)));
      final Model model = neuron.newModel();
      final StepResult out = new StepResult();
      final HashedVector x = new HashedVector();
      x.add(1, 1.0);
      x.add(2, 2.0);
      assertThat(neuron.learn(model, x.canonical(), 1, out)).isEqualTo(Verdict.TRAINED);
      x.clear();
      x.add(2, 1.0);
      x.add(3, 1.0);
      assertThat(neuron.learn(model, x.canonical(), 0, out)).isEqualTo(Verdict.TRAINED);
      assertThat(model.sparse().size()).isEqualTo(3);
      final Model before = model.copy();
      x.clear();
      x.add(1, 1.0);
      x.add(4, 1.0); // one new coordinate: 4 > 3
      assertThat(neuron.learn(model, x.canonical(), 1, out)).as("%s", kind)
          .isEqualTo(Verdict.MODEL_FULL);
      ModelAssert.assertBitIdentical(kind + " refused", model, before);
      x.clear();
      x.add(3, 1.0);
      x.add(1, -1.0);
      assertThat(neuron.learn(model, x.canonical(), 1, out)).isEqualTo(Verdict.TRAINED);
      assertThat(model.count()).isEqualTo(3);
      // a coordinate at the table's first slot is a touched one like any other
      int first = 0;
      while (new SparseWeights(0).slotOrAdd(first) != 0) {
        first++;
      }
      final HashedNeuron two = new HashedNeuron(new ModelSpec(DIMENSION, true,
          Activation.SIGMOID, 0.1, null, 0.0, Loss.LOGISTIC, OptimizerSettings.of(kind),
          HiddenLayers.NONE, new FeatureHashing(BITS, List.of(), 10, 1)));
      final Model full = two.newModel();
      x.clear();
      x.add(first, 1.0);
      assertThat(two.learn(full, x.canonical(), 1, out)).isEqualTo(Verdict.TRAINED);
      assertThat(full.sparse().slot(first)).isZero();
      assertThat(two.learn(full, x, 0, out)).as("%s", kind).isEqualTo(Verdict.TRAINED);
      // an event of fewer terms after one of more, at the limit: only its own terms count
      final Model three = neuron.newModel();
      x.clear();
      x.add(5, 1.0);
      x.add(6, 1.0);
      x.add(7, 1.0);
      assertThat(neuron.learn(three, x.canonical(), 1, out)).isEqualTo(Verdict.TRAINED);
      x.clear();
      x.add(5, 1.0);
      x.add(6, 1.0);
      assertThat(neuron.learn(three, x.canonical(), 0, out)).isEqualTo(Verdict.TRAINED);
      // predictions are not limited: an untouched coordinate's weight is 0
      x.clear();
      x.add(9, 1.0);
      assertThat(neuron.predict(model, x.canonical(), out)).isEqualTo(Verdict.PREDICTED);
    }
  }
}
