package io.gradstream.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.Verdict;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Which outcomes are dead letters: all but a step, a prediction and an operator's action. */
class OutcomeTest {
  @Test
  void everythingButTrainedPredictedAndControlledIsRefused() {
    assertThat(Arrays.stream(Outcome.values()).filter(o -> !o.refused()))
        .containsExactly(Outcome.TRAINED, Outcome.PREDICTED, Outcome.CONTROLLED);
    assertThat(Outcome.FEATURE_OUT_OF_RANGE.code()).isEqualTo("feature-out-of-range");
    assertThat(Outcome.MODEL_MISFIT.code()).isEqualTo("model-misfit");
    assertThat(Outcome.UNKNOWN_CONTROL.code()).isEqualTo("unknown-control");
  }

  @Test
  void outcomesNameThemselvesForPeople() {
    assertThat(Outcome.PREDICTED.code()).isEqualTo("predicted");
    assertThat(Outcome.NON_FINITE_PREDICTION.detail(2, 2)).contains("overflows");
    assertThat(Outcome.WRONG_FEATURE_COUNT.detail(1, 2))
        .isEqualTo("x has 1 value, the model has 2 features");
  }

  @Test
  void eachOfTheLearnersVerdictsIsTheOutcomeOfTheSameName() {
    for (final Verdict verdict : Verdict.values()) {
      assertThat(Outcome.of(verdict).name()).isEqualTo(verdict.name());
    }
    assertThat(Outcome.of(Verdict.NON_FINITE_STEP).code()).isEqualTo("non-finite-step");
  }
}
