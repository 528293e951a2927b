package io.gradstream.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradstream.learn.Model;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.StepResults;
import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The evaluation gauges: this instance's over every sample it judged, by hand; a tracked model's
 * read from its stored evaluation; and the drifts counted by detector and action.
 */
class EvaluationMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double gauge(final String name, final String model, final String metric,
      final String scope, final String samples) {
    RequiredSearch search = registry.get(name).tag("metric", metric).tag("scope", scope)
        .tag("samples", samples);
    if (model != null) {
      search = search.tag("model", model);
    }
    return search.gauge().value();
  }

  @Test
  void theGaugesShowWhatWasJudged() {
    final TrainingMeters meters = new TrainingMeters(registry, 2);
    final Model stored = new Model(new double[] {0.0}, false, 0.0, 0L, 0.0)
        .judgedBy(new EvaluationSpec(2, DriftSettings.none()).fresh(EvaluationKind.BINARY));
    stored.evaluation().judge(0.9, 1.0, 0.1, 1);
    stored.evaluation().judge(0.8, 0.0, 1.6, 2);
    stored.evaluation().judge(0.3, 0.0, 0.4, 3);
    meters.judging(new EvaluationSpec(2, DriftSettings.none()), EvaluationKind.BINARY,
        key -> key.equals("m") ? stored : null);
    // this instance: right, wrong, right (prequential); one served, wrong
    meters.judged(StepResults.withY(0.9), 1.0, Double.NaN);
    meters.judged(StepResults.withY(0.8), 0.0, 0.3);
    meters.judged(StepResults.withY(0.3), 0.0, Double.NaN);
    assertThat(gauge("gradstream.evaluation", null, "accuracy", "total", "prequential"))
        .isCloseTo(2.0 / 3, within(1e-15));
    assertThat(gauge("gradstream.evaluation", null, "count", "window", "prequential"))
        .isEqualTo(2.0);
    assertThat(gauge("gradstream.evaluation", null, "accuracy", "window", "prequential"))
        .isEqualTo(0.5);
    assertThat(gauge("gradstream.evaluation", null, "brier", "total", "served"))
        .isCloseTo(0.09, within(1e-15));
    assertThat(gauge("gradstream.evaluation", null, "auc", "window", "prequential")).isNaN();
    // a tracked model: its gauges read its stored evaluation
    meters.trained("m", new StepResult(), stored, new double[] {1.0}, 1.0, 0);
    assertThat(gauge("gradstream.model.evaluation", "m", "count", "total", "prequential"))
        .isEqualTo(3.0);
    assertThat(gauge("gradstream.model.evaluation", "m", "logLoss", "window", "prequential"))
        .isCloseTo(-(Math.log(0.2) + Math.log(0.7)) / 2, within(1e-15));
    assertThat(gauge("gradstream.model.evaluation", "m", "auc", "window", "prequential"))
        .isNaN(); // one class in the window
    assertThat(gauge("gradstream.model.evaluation", "m", "count", "total", "served")).isZero();
    // a model no longer stored: NaN
    final Model gone = new Model(new double[] {0.0}, false, 0.0, 0L, 0.0)
        .judgedBy(new EvaluationSpec(2, DriftSettings.none()).fresh(EvaluationKind.BINARY));
    meters.trained("gone", new StepResult(), gone, new double[] {1.0}, 1.0, 0);
    assertThat(gauge("gradstream.model.evaluation", "gone", "count", "total", "prequential"))
        .isNaN();
  }

  @Test
  void aRegressionHasItsOwnMetricsAndNoWindowWithoutOne() {
    final TrainingMeters meters = new TrainingMeters(registry, 2);
    meters.judging(new EvaluationSpec(0, DriftSettings.none()), EvaluationKind.REGRESSION,
        key -> null);
    meters.judged(StepResults.withY(1.0), 3.0, Double.NaN);
    meters.judged(StepResults.withY(2.0), 1.0, Double.NaN);
    assertThat(gauge("gradstream.evaluation", null, "mae", "total", "prequential"))
        .isEqualTo(1.5);
    assertThat(gauge("gradstream.evaluation", null, "rmse", "total", "prequential"))
        .isCloseTo(Math.sqrt(2.5), within(1e-15));
    // d = 3, 1: mean 2, SS_tot 2, SS_res 5
    assertThat(gauge("gradstream.evaluation", null, "r2", "total", "prequential"))
        .isCloseTo(1 - 5.0 / 2, within(1e-15));
    assertThat(registry.find("gradstream.evaluation").tag("scope", "window").gauges())
        .isEmpty();
    assertThat(registry.find("gradstream.evaluation").tag("metric", "accuracy").gauges())
        .isEmpty();
  }

  @Test
  void driftsAreCountedByDetectorAndAction() {
    final TrainingMeters meters = new TrainingMeters(registry, 2);
    meters.drifted("ddm", true);
    meters.drifted("ddm", true);
    meters.drifted("page-hinkley", false);
    assertThat(registry.get("gradstream.drifts").tag("detector", "ddm").tag("action", "reset")
        .counter().count()).isEqualTo(2);
    assertThat(registry.get("gradstream.drifts").tag("detector", "page-hinkley")
        .tag("action", "keep").counter().count()).isEqualTo(1);
    assertThat(registry.get("gradstream.drifts").tag("detector", "ddm").tag("action", "keep")
        .counter().count()).isZero();
  }

  @Test
  void unjudgedModelsHaveNoEvaluationGauges() {
    final TrainingMeters meters = new TrainingMeters(registry, 2);
    meters.judged(StepResults.withY(1.0), 1.0, Double.NaN);
    meters.trained("m", new StepResult(), new Model(new double[] {0.0}, false, 0.0, 0L, 0.0),
        new double[] {1.0}, 1.0, 0);
    assertThat(registry.find("gradstream.evaluation").gauges()).isEmpty();
    assertThat(registry.find("gradstream.model.evaluation").gauges()).isEmpty();
  }
}
