package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.evaluate.ModelEvaluation;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import org.junit.jupiter.api.Test;

/** A model's copies and its optimizer state: each its own, so that stepping one moves no other. */
class ModelTest {
  @Test
  void aCopyHasTheSameValuesAndStepsOnItsOwn() {
    final ModelSpec adam = new ModelSpec(2, true, Activation.IDENTITY, 0.1, null, 0.0,
        Loss.SQUARED, OptimizerSettings.of(OptimizerKind.ADAM));
    final Model original = new Model(new double[] {1, -2}, true, 0.5, 3, 1.25,
        new double[adam.optimizerStateSize()]);
    final Model copy = original.copy();
    assertThat(copy.weights()).containsExactly(1, -2).isNotSameAs(original.weights());
    assertThat(copy.bias()).isEqualTo(0.5);
    assertThat(copy.hasBias()).isTrue();
    assertThat(copy.count()).isEqualTo(3);
    assertThat(copy.lossSum()).isEqualTo(1.25);
    assertThat(copy.optimizerState()).hasSize(adam.optimizerStateSize())
        .isNotSameAs(original.optimizerState());

    assertThat(Learner.of(adam).learn(copy, new double[] {1, 1}, 3, new StepResult()))
        .isEqualTo(Verdict.TRAINED);
    assertThat(original.weights()).containsExactly(1, -2);
    assertThat(original.bias()).isEqualTo(0.5);
    assertThat(original.count()).isEqualTo(3);
    assertThat(original.optimizerState()).containsOnly(0.0);
    assertThat(copy.count()).isEqualTo(4);

    final Model network = Model.network(new Layers(new int[] {1, 2, 1}),
        new double[] {1, 2, 3, 4, 5, 6, 7}, 2, 0.5, new double[0]);
    assertThat(network.copy().layers()).isEqualTo(network.layers());
    assertThat(network.copy().weights()).containsExactly(1, 2, 3, 4, 5, 6, 7);
    assertThat(network.withOptimizerState(new double[] {9}).optimizerState())
        .containsExactly(9);
    // a fresh optimizer state for the settings: Adam's step and two slots per parameter, zero
    final Model fresh = copy.withFreshState(adam);
    assertThat(fresh.optimizerState()).hasSize(adam.optimizerStateSize()).containsOnly(0.0);
    assertThat(fresh.weights()).isEqualTo(copy.weights());
    assertThat(fresh.count()).isEqualTo(4);
    assertThat(original.withFreshState(new ModelSpec(2, true, Activation.IDENTITY, 0.1, null,
        0.0)).optimizerState()).isEmpty();
  }

  /**
   * A model is judged by the first evaluation it is given; a restart takes the fresh model's
   * parameters and optimizer state and keeps its own steps, loss, scaler and evaluation.
   */
  @Test
  void aRestartKeepsTheStepsLossAndEvaluationAndTakesTheFreshParameters() {
    final ModelSpec spec = new ModelSpec(2, true, Activation.IDENTITY, 0.1, null, 0.0,
        Loss.SQUARED, OptimizerSettings.of(OptimizerKind.ADAM));
    final Model model = new Model(new double[] {1, 2}, true, 3, 7, 1.5, new double[] {7, 1, 1,
        1, 1, 1, 1}).withScaler(null);
    final ModelEvaluation first = new EvaluationSpec(4, DriftSettings.none())
        .fresh(EvaluationKind.REGRESSION);
    assertThat(model.evaluation()).isNull();
    assertThat(model.judgedBy(first)).isSameAs(model);
    model.judgedBy(new EvaluationSpec(8, DriftSettings.none()).fresh(EvaluationKind.REGRESSION));
    assertThat(model.evaluation()).isSameAs(first);
    final Model fresh = Model.initial(spec);
    final Model restarted = model.restartedAs(fresh);
    assertThat(restarted.weights()).containsExactly(0.0, 0.0);
    assertThat(restarted.bias()).isZero();
    assertThat(restarted.optimizerState()).containsOnly(0.0).hasSize(7);
    assertThat(restarted.count()).isEqualTo(7);
    assertThat(restarted.lossSum()).isEqualTo(1.5);
    assertThat(restarted.evaluation()).isSameAs(first);
  }
}
