package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;

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
}
