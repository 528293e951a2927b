package io.gradstream.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradstream.events.NamedFeatures;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Classes;
import io.gradstream.learn.HashedLearner;
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
import io.gradstream.onnx.OnnxProto;
import io.gradstream.replay.Replay;
import io.gradstream.step.HashedInput;
import io.gradstream.step.ScaledX;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An exported model, run by ONNX Runtime ({@link OnnxRuntimeRun}), computes gradstream's
 * predictions for fresh x to 1e-12: one neuron of every activation, scaled or not, networks, and
 * networks of three classes (their probabilities and labels).
 */
class OnnxModelTest {
  private static final int FEATURES = 3;
  private static final int ROWS = 64;

  @ParameterizedTest(name = "{0} hidden={1} {2} {3} scale={4}")
  @CsvSource({
      "sigmoid, none, logistic, sgd, none",
      "sigmoid, none, logistic, adam, standard",
      "identity, none, squared, sgd, standard",
      "tanh, none, squared, momentum, none",
      "relu, none, squared, sgd, none",
      "leaky_relu, none, squared, sgd, standard",
      "identity, 8:4, squared, adam, standard",
      "sigmoid, 5, logistic, rmsprop, none",
      "sigmoid, 6, cross-entropy, sgd, none",
      "sigmoid, 4:3, cross-entropy, adam, standard",
      "sigmoid, none, cross-entropy, sgd, standard"})
  void anExportedModelComputesGradstreamsPredictionsInOnnxRuntime(final String activation,
      final String hidden, final String loss, final String optimizer, final String scale)
      throws Exception {
    final boolean classes = loss.equals("cross-entropy");
    final boolean network = !hidden.equals("none") || classes;
    final ModelSpec spec = new ModelSpec(FEATURES, !network,
        Activation.fromId(activation), 0.05, null, 0.0,
        classes ? Loss.crossEntropy(Classes.numbered(3)) : Loss.of(loss, 1.0),
        OptimizerSettings.of(OptimizerKind.named(optimizer)),
        hidden.equals("none") ? HiddenLayers.NONE : HiddenLayers.of(Arrays.stream(
            hidden.split(":")).mapToInt(Integer::parseInt).toArray(), Activation.TANH, 42L),
        FeatureHashing.NONE, FeatureScaling.of(scale));
    final Random random = new Random(activation.hashCode() * 31L + hidden.hashCode());
    final Model model = trained(spec, random, classes ? 3 : 0, loss.equals("logistic"));

    final double[][] xs = new double[ROWS][FEATURES];
    for (final double[] x : xs) {
      for (int i = 0; i < FEATURES; i++) {
        x[i] = 3 * random.nextGaussian();
      }
    }
    final byte[] onnx = OnnxModel.of("m", model, spec.stepSettings(), "test");
    final Learner learner = Learner.of(spec);
    final ScaledX scaled = new ScaledX();
    final StepResult out = new StepResult();
    final Map<String, Object> outputs = OnnxRuntimeRun.outputs(onnx, xs);
    for (int r = 0; r < ROWS; r++) {
      assertThat(learner.predict(model, scaled.of(model, xs[r], false), out))
          .isEqualTo(Verdict.PREDICTED);
      if (classes) {
        final double[][] probabilities = (double[][]) outputs.get(OnnxModel.PROBABILITIES);
        final long[] labels = (long[]) outputs.get(OnnxModel.LABEL);
        assertThat(labels[r]).as("row %d's label", r).isEqualTo(out.label());
        for (int k = 0; k < 3; k++) {
          assertThat(probabilities[r][k]).as("row %d, class %d", r, k)
              .isCloseTo(out.probabilities()[k], within(out.probabilities()[k]));
        }
      } else {
        final double[][] y = (double[][]) outputs.get(OnnxModel.OUTPUT);
        assertThat(y[r][0]).as("row %d", r).isCloseTo(out.y(), within(out.y()));
      }
    }
  }

  /**
   * A feature that never varied has no spread: gradstream standardizes it to 0, whatever its
   * value, and so must the graph (1/σ would be infinite there).
   */
  @Test
  void aScaledFeatureWithoutSpreadCountsAsZero() throws Exception {
    final ModelSpec spec = new ModelSpec(2, true, Activation.IDENTITY, 0.05, null, 0.0,
        Loss.SQUARED, OptimizerSettings.sgd(), HiddenLayers.NONE, FeatureHashing.NONE,
        FeatureScaling.STANDARD);
    final Replay replay = new Replay(spec);
    replay.train(new StringReader("""
        {"key": "m", "x": [1.0, 5.0], "d": 1.0}
        {"key": "m", "x": [2.0, 5.0], "d": 0.5}
        {"key": "m", "x": [4.0, 5.0], "d": 2.0}
        """), (line, reason, detail) -> { });
    final Model model = replay.models().get("m");
    final double[][] xs = {{3.0, 7.0}, {0.0, -100.0}};
    final double[][] y = (double[][]) OnnxRuntimeRun.outputs(OnnxModel.of("m", model,
        spec.stepSettings(), "test"), xs).get(OnnxModel.OUTPUT);
    final StepResult out = new StepResult();
    for (int r = 0; r < xs.length; r++) {
      assertThat(Learner.of(spec).predict(model, new ScaledX().of(model, xs[r], false), out))
          .isEqualTo(Verdict.PREDICTED);
      assertThat(y[r][0]).as("row %d", r).isCloseTo(out.y(), within(out.y()));
    }
  }

  /**
   * A hashed neuron and a hashed network, trained on named features (numbers, categories,
   * booleans): for fresh events, categories never seen among them (a network's untouched columns
   * count as they start), the graph given each event's hashed coordinates and values computes
   * gradstream's prediction.
   */
  @ParameterizedTest(name = "{0} hidden={1} {2}")
  @CsvSource({"sigmoid, none, adagrad", "identity, 4, sgd", "tanh, 5:3, adagrad"})
  void anExportedHashedModelComputesGradstreamsPredictionsFromTheHashedVector(
      final String activation, final String hidden, final String optimizer) throws Exception {
    final boolean network = !hidden.equals("none");
    final ModelSpec spec = new ModelSpec(1 << 10, !network, Activation.fromId(activation), 0.05,
        null, 0.0, activation.equals("sigmoid") ? Loss.LOGISTIC : Loss.SQUARED,
        OptimizerSettings.of(OptimizerKind.named(optimizer)), network ? HiddenLayers.of(
            Arrays.stream(hidden.split(":")).mapToInt(Integer::parseInt).toArray(),
            Activation.TANH, 9L) : HiddenLayers.NONE, FeatureHashing.of(10));
    final Random random = new Random(hidden.hashCode());
    final StringBuilder lines = new StringBuilder();
    for (int n = 0; n < 400; n++) {
      final double amount = 3 * random.nextGaussian();
      final int city = random.nextInt(8);
      final boolean member = random.nextBoolean();
      final double d = (amount > 0 ? 0.6 : 0.1) + (member ? 0.3 : 0) - 0.05 * city;
      lines.append(String.format(Locale.ROOT, "{\"key\": \"m\", \"features\": {\"amount\": "
          + "%s, \"city\": \"c%d\", \"member\": %s}, \"d\": %s}%n", amount, city, member,
          activation.equals("sigmoid") ? (d > 0.4 ? 1 : 0) : d));
    }
    final Replay replay = new Replay(spec);
    replay.train(new StringReader(lines.toString()), (line, reason, detail) -> { });
    final Model model = replay.models().get("m");
    assertThat(model.count()).isPositive();

    final HashedInput hashing = new HashedInput(spec.hashing());
    final List<HashedVector> events = new ArrayList<>();
    int terms = 0;
    for (int r = 0; r < ROWS; r++) {
      final NamedFeatures features = new NamedFeatures();
      features.number("amount", 3 * random.nextGaussian());
      features.category("city", "c" + random.nextInt(12));
      features.bool("member", random.nextBoolean());
      final HashedVector x = new HashedVector();
      final HashedVector hashed = hashing.of(features);
      for (int k = 0; k < hashed.size(); k++) {
        x.add(hashed.coordinate(k), hashed.value(k));
      }
      events.add(x);
      terms = Math.max(terms, x.size());
    }
    final long[][] indices = new long[ROWS][terms];
    final double[][] values = new double[ROWS][terms];
    for (int r = 0; r < ROWS; r++) {
      for (int k = 0; k < events.get(r).size(); k++) {
        indices[r][k] = events.get(r).coordinate(k);
        values[r][k] = events.get(r).value(k);
      }
    }
    final double[][] y = (double[][]) OnnxRuntimeRun.outputs(OnnxModel.of("m", model,
        spec.stepSettings(), "test"), indices, values).get(OnnxModel.OUTPUT);
    final HashedLearner learner = HashedLearner.of(spec);
    final StepResult out = new StepResult();
    for (int r = 0; r < ROWS; r++) {
      assertThat(learner.predict(model, events.get(r), out)).isEqualTo(Verdict.PREDICTED);
      assertThat(y[r][0]).as("row %d", r).isCloseTo(out.y(), within(out.y()));
    }
  }

  /** The inputs as declared: a batch of n for x, a batch of any number of terms when hashed. */
  @Test
  void theGraphDeclaresItsInputsShapes() throws Exception {
    final ModelSpec dense = new ModelSpec(3, true, Activation.TANH, 0.1, null, 0.0);
    assertThat(inputs(OnnxModel.of("d", Model.initial(dense), dense.stepSettings(), "t")))
        .containsExactly("x [N, 3] 11");
    final ModelSpec hashed = new ModelSpec(1 << 6, true, Activation.SIGMOID, 0.1, null, 0.0,
        Loss.LOGISTIC, OptimizerSettings.sgd(), HiddenLayers.NONE, FeatureHashing.of(6));
    assertThat(inputs(OnnxModel.of("h", Model.initial(hashed), hashed.stepSettings(), "t")))
        .containsExactly("indices [N, k] 7", "values [N, k] 11");
  }

  private static List<String> inputs(final byte[] onnx) throws Exception {
    final List<String> inputs = new ArrayList<>();
    for (final OnnxProto.ValueInfoProto input : OnnxProto.ModelProto.parseFrom(onnx).getGraph()
        .getInputList()) {
      final List<String> dims = new ArrayList<>();
      for (final OnnxProto.TensorShapeProto.Dimension d : input.getType().getTensorType()
          .getShape().getDimList()) {
        dims.add(d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue()));
      }
      inputs.add(input.getName() + " " + dims + " " + input.getType().getTensorType()
          .getElemType());
    }
    return inputs;
  }

  /** A first layer of 2^20 × 16 weights (128 MiB) is one thing, 2^24 × 16 (2 GiB) too much. */
  @Test
  void aHashedNetworkTooLargeForOneFileIsRefused() {
    final ModelSpec huge = new ModelSpec(1 << 24, false, Activation.IDENTITY, 0.1, null, 0.0,
        Loss.SQUARED, OptimizerSettings.sgd(), HiddenLayers.of(new int[] {16}, Activation.TANH,
            1L), FeatureHashing.of(24));
    assertThatThrownBy(() -> OnnxModel.of("big", Model.initial(huge), huge.stepSettings(), "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model big's first layer, 2^24 × 16 weights, is too large for one ONNX file");
  }

  @Test
  void aHashedModelThatScalesByNameIsRefusedWithItsReason() {
    final ModelSpec spec = new ModelSpec(1 << 10, true, Activation.SIGMOID, 0.1, null, 0.0,
        Loss.LOGISTIC, OptimizerSettings.sgd(), HiddenLayers.NONE, FeatureHashing.of(10),
        FeatureScaling.STANDARD);
    assertThatThrownBy(() -> OnnxModel.of("clicks", Model.initial(spec), spec.stepSettings(),
        "test")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("model clicks scales its numbers by name before hashing them");
  }

  /** 1e-12, relative to values beyond 1. */
  private static Offset<Double> within(final double expected) {
    return Offset.offset(1e-12 * Math.max(1.0, Math.abs(expected)));
  }

  /** The model of key m after 500 events through replay: weights, and moments when scaled. */
  private static Model trained(final ModelSpec spec, final Random random, final int classes,
      final boolean binary) throws Exception {
    final StringBuilder lines = new StringBuilder();
    for (int n = 0; n < 500; n++) {
      final double[] x = new double[FEATURES];
      double s = 0;
      for (int i = 0; i < FEATURES; i++) {
        x[i] = 2 + 3 * random.nextGaussian();
        s += (i + 1) * 0.3 * x[i];
      }
      final double d = classes > 0 ? random.nextInt(classes) : binary ? (s > 1.5 ? 1 : 0)
          : Math.tanh(s / 4);
      lines.append(String.format(Locale.ROOT, "{\"key\": \"m\", \"x\": [%s, %s, %s], \"d\": %s}%n",
          x[0], x[1], x[2], d));
    }
    final Replay replay = new Replay(spec);
    replay.train(new StringReader(lines.toString()), (line, reason, detail) -> { });
    final Model model = replay.models().get("m");
    assertThat(model.count()).as("steps taken").isPositive();
    return model;
  }
}
