package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.events.Outcome;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.metrics.TrainingMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** run's progress line, and its warning while every event is a dead letter. */
class RunProgressTest {
  private static final long S = TimeUnit.SECONDS.toNanos(1);
  private final TrainingMeters meters = new TrainingMeters(new SimpleMeterRegistry(), 0);
  private final RunProgress progress = new RunProgress(meters, () -> 3, "dlq", 0);

  private void train(final double d) {
    final ModelSpec spec = new ModelSpec(1, false, Activation.IDENTITY, 0.1, null, 0.0);
    final Model model = Model.initial(spec);
    final StepResult step = new StepResult();
    Learner.of(spec).learn(model, new double[] {1}, d, step);
    meters.trained("k", step, model, new double[] {1}, d, 0);
  }

  private void refuse(final int n, final Outcome reason, final String detail) {
    for (int i = 0; i < n; i++) {
      meters.refused(reason, detail);
    }
  }

  @Test
  void theProgressLineSaysEventsModelsMeanLossAndDeadLetters() {
    train(1.0); // loss 0.5
    train(2.0); // loss 2
    refuse(5, Outcome.NON_FINITE_FEATURE, "x[0] is NaN");
    assertThat(progress.lines(10 * S, true)).containsExactly("gradstream: [   10 s]       1 "
        + "events/s  3 models  mean loss 1.250  dead letters 0.5/s");
    assertThat(progress.lines(20 * S, true)).containsExactly("gradstream: [   20 s]       0 "
        + "events/s  3 models  mean loss -  dead letters 0.0/s");
    assertThat(progress.lines(30 * S, false)).isEmpty();
  }

  @Test
  void aMinuteOfNothingButDeadLettersIsWarnedOnceAMinuteWithTheTopReason() {
    train(1.0);
    progress.lines(10 * S, false);
    final String json = "not a LabeledEvent in Avro single-object encoding: it begins with '{' "
        + "as JSON does (read JSON events with --input-format json)";
    for (int t = 20; t <= 60; t += 10) {
      refuse(50, Outcome.UNDECODABLE, json);
      refuse(1, Outcome.MISSING_KEY, "the record key (model id) is null, empty or not UTF-8");
      assertThat(progress.lines(t * S, false)).as("at %d s", t).isEmpty();
    }
    refuse(50, Outcome.UNDECODABLE, json);
    final List<String> warned = progress.lines(70 * S, false);
    assertThat(warned).containsExactly("gradstream: warning: every event for the last 60 s was a "
        + "dead letter (305 on dlq, most often undecodable: " + json + "); gradstream tail dlq "
        + "shows them with their reasons");
    for (int t = 80; t <= 120; t += 10) {
      refuse(10, Outcome.UNDECODABLE, json);
      assertThat(progress.lines(t * S, false)).as("at %d s: once a minute", t).isEmpty();
    }
    refuse(10, Outcome.UNDECODABLE, json);
    assertThat(progress.lines(130 * S, false)).singleElement().asString()
        .startsWith("gradstream: warning: every event for the last 120 s was a dead letter (365");

    // one trained event ends it; a quiet service says nothing
    train(1.0);
    refuse(10, Outcome.UNDECODABLE, json);
    assertThat(progress.lines(140 * S, false)).isEmpty();
    for (int t = 150; t <= 300; t += 10) {
      assertThat(progress.lines(t * S, false)).isEmpty();
    }
  }

  @Test
  void aThousandDeadLettersAndNothingElseAreWarnedAtOnce() {
    refuse(1000, Outcome.WRONG_FEATURE_COUNT, "2 features, the model takes 3");
    assertThat(progress.lines(10 * S, true)).containsExactly(
        "gradstream: [   10 s]     100 events/s  3 models  mean loss -  dead letters 100.0/s",
        "gradstream: warning: every event for the last 10 s was a dead letter (1000 on dlq, most "
            + "often wrong-feature-count: 2 features, the model takes 3); gradstream tail dlq "
            + "shows them with their reasons");
  }
}
