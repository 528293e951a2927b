package io.gradstream.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.events.EventFields;
import io.gradstream.events.NamedFeatures;
import io.gradstream.events.Outcome;
import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.OptimizerSettings;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the meters and the live page are given of a scaled step: the x the learner saw. */
class ScaledStepTest {
  private static final PendingPredictions NONE = new PendingPredictions() {
    @Override
    public PendingPrediction get(final byte[] key, final String keyName, final String id) {
      return null;
    }

    @Override
    public void put(final byte[] key, final String keyName, final String id, final double[] x,
        final NamedFeatures features, final double y, final long modelStep,
        final long eventTime) {}

    @Override
    public void remove(final byte[] key, final String keyName, final String id) {}
  };

  @Test
  void aScaledStepShowsTheStandardizedX() {
    final ModelSpec spec = new ModelSpec(2, true, Activation.IDENTITY, 0.1, null, 0.0,
        Loss.SQUARED, OptimizerSettings.sgd(), HiddenLayers.NONE, FeatureHashing.NONE,
        FeatureScaling.STANDARD);
    final EventStep step = new EventStep(spec, EventRules.defaults());
    final byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    final EventFields event = new EventFields();
    final StepResult out = new StepResult();
    event.x = new double[] {1, 2};
    event.d = 1;
    event.hasLabel = true;
    assertThat(step.apply(key, "k", null, event, 0, NONE, out)).isEqualTo(Outcome.TRAINED);
    final Model model = step.created();
    assertThat(step.x(event)).containsExactly(0.0, 0.0); // a first value has no variance
    event.x = new double[] {3, 4};
    assertThat(step.apply(key, "k", model, event, 0, NONE, out)).isEqualTo(Outcome.TRAINED);
    // values 1, 3 and 2, 4: means 2 and 3, variances 1, so 3 and 4 are 1 standard deviation up
    assertThat(step.x(event)).containsExactly(1.0, 1.0);
    assertThat(event.x).containsExactly(3.0, 4.0);
    // unscaled, the event's own x
    final EventStep plain = new EventStep(ModelSpec.defaults(2), EventRules.defaults());
    plain.apply(key, "k", null, event, 0, NONE, out);
    assertThat(plain.x(event)).isSameAs(event.x);
  }
}
