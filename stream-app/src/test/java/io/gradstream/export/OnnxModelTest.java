package io.gradstream.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Classes;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.replay.Replay;
import io.gradstream.step.ScaledX;
import java.io.StringReader;
import java.util.Arrays;
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

  @Test
  void aHashedModelIsRefusedWithItsReason() {
    final ModelSpec spec = new ModelSpec(1 << 10, true, Activation.SIGMOID, 0.1, null, 0.0,
        Loss.LOGISTIC, OptimizerSettings.sgd(), HiddenLayers.NONE, FeatureHashing.of(10));
    assertThatThrownBy(() -> OnnxModel.of("clicks", Model.initial(spec), spec.stepSettings(),
        "test")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clicks is hashed");
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
