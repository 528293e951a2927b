package io.gradstream.learn.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradstream.learn.Classes;
import io.gradstream.learn.Loss;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.StepResults;
import org.junit.jupiter.api.Test;

/**
 * A model of K classes is judged by the probability it gave the label's class and whether its
 * most probable class was the label, worked by hand here; its served predictions are not judged
 * (they keep only the served class's probability), a one-output model's are.
 */
class MulticlassEvaluationTest {
  @Test
  void eachStepIsTheLabelsProbabilityAndWhetherThePredictedClassWasRight() {
    assertThat(EvaluationKind.of(Loss.crossEntropy(Classes.numbered(3))))
        .isEqualTo(EvaluationKind.MULTICLASS);
    assertThat(EvaluationKind.ofLoss("cross-entropy")).isEqualTo(EvaluationKind.MULTICLASS);
    final ModelEvaluation evaluation = new EvaluationSpec(2, DriftSettings.of("ddm", false))
        .fresh(EvaluationKind.MULTICLASS);
    // right with p 0.7; wrong (class 0 predicted) with p_d 0.3; right with p 0.5 (a tie of two,
    // the first of them)
    final StepResult[] steps = {
        StepResults.ofClasses(new double[] {0.1, 0.2, 0.7}, 2),
        StepResults.ofClasses(new double[] {0.6, 0.3, 0.1}, 1),
        StepResults.ofClasses(new double[] {0.5, 0.5, 0.0}, 0)};
    final int[] labels = {2, 1, 0};
    for (int s = 0; s < steps.length; s++) {
      assertThat(EvaluationKind.MULTICLASS.sampleLabel(steps[s], labels[s]))
          .isEqualTo(s == 1 ? 0.0 : 1.0);
      assertThat(evaluation.learned(0.9, steps[s], labels[s], s + 1)).isFalse();
    }
    final Metrics total = evaluation.total();
    assertThat(total.kind()).isEqualTo(EvaluationKind.MULTICLASS);
    assertThat(total.count()).isEqualTo(3);
    assertThat(total.accuracy()).isEqualTo(2.0 / 3);
    assertThat(total.logLoss()).isCloseTo(-(Math.log(0.7) + Math.log(0.3) + Math.log(0.5)) / 3,
        within(1e-15));
    assertThat(total.brier()).isNaN();
    assertThat(total.r2()).isNaN();
    final Metrics window = evaluation.window();
    assertThat(window.count()).isEqualTo(2);
    assertThat(window.accuracy()).isEqualTo(0.5);
    assertThat(window.logLoss()).isCloseTo(-(Math.log(0.3) + Math.log(0.5)) / 2,
        within(1e-15));
    assertThat(Metrics.names(EvaluationKind.MULTICLASS, true))
        .containsExactly("logLoss", "accuracy");
    // a served prediction of K classes is not judged: it names no probability of the label
    assertThat(evaluation.servedTotal().count()).isZero();
    assertThat(evaluation.servedWindow().count()).isZero();
    assertThat(evaluation.servedWindow().accuracy()).isNaN();
  }

  /** A drift of the losses is told by the step that signals it, and only by that one. */
  @Test
  void theStepWhoseLossSignalsADriftSaysSo() {
    final ModelEvaluation evaluation = new EvaluationSpec(16, new DriftSettings("page-hinkley",
        0.005, 1.0, 0.9999, 30, 30, 3.0, true)).fresh(EvaluationKind.MULTICLASS);
    int first = -1;
    for (int s = 0; s < 80 && first < 0; s++) {
      // p of the label 0.9 (a loss of 0.105), then 0.01 (4.6) from step 40 on
      final StepResult step = StepResults.ofClasses(s < 40 ? new double[] {0.9, 0.1}
          : new double[] {0.99, 0.01}, s < 40 ? 0 : 1);
      if (evaluation.learned(Double.NaN, step, s < 40 ? 0 : 1, s + 1)) {
        first = s;
      }
    }
    assertThat(first).as("the step that signalled").isBetween(40, 45);
    assertThat(evaluation.driftCount()).isEqualTo(1);
    assertThat(evaluation.drifts()).containsExactly(first + 1L);
  }

  @Test
  void aClassifierOfKClassesIsWrongWhenItsSampleSaysSo() {
    assertThat(EvaluationKind.MULTICLASS.wrong(0.9, 0.0)).isTrue();
    assertThat(EvaluationKind.MULTICLASS.wrong(0.1, 1.0)).isFalse();
    assertThat(EvaluationKind.BINARY.wrong(0.9, 0.0)).isTrue();
    assertThat(EvaluationKind.BINARY.wrong(0.1, 0.0)).isFalse();
    assertThat(EvaluationKind.BINARY.sampleLabel(StepResults.withY(0.4), 0.25)).isEqualTo(0.25);
  }

  @Test
  void aServedPredictionOfOneOutputIsJudgedBeforeItsStep() {
    final ModelEvaluation evaluation = new EvaluationSpec(4, DriftSettings.none())
        .fresh(EvaluationKind.REGRESSION);
    evaluation.learned(0.5, StepResults.withY(1.5), 2.0, 1);
    evaluation.learned(Double.NaN, StepResults.withY(1.0), 2.0, 2);
    assertThat(evaluation.servedTotal().count()).isEqualTo(1);
    assertThat(evaluation.servedTotal().mae()).isEqualTo(1.5);
    assertThat(evaluation.total().count()).isEqualTo(2);
    assertThat(evaluation.total().mae()).isEqualTo(0.75);
  }

  @Test
  void aWindowOfKClassesWithNoSamplesHasNoMetrics() {
    final Metrics empty = new EvaluationSpec(4, DriftSettings.none())
        .fresh(EvaluationKind.MULTICLASS).window();
    assertThat(empty.count()).isZero();
    assertThat(empty.kind()).isEqualTo(EvaluationKind.MULTICLASS);
    assertThat(empty.logLoss()).isNaN();
    assertThat(empty.accuracy()).isNaN();
  }
}
