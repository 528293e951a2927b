package io.gradstream.metrics;

import io.gradstream.learn.Model;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.evaluate.Metrics;
import io.gradstream.learn.evaluate.ModelEvaluation;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * How good the models are, as Prometheus gauges: {@code gradstream_model_evaluation{model, metric,
 * scope, samples}} for each tracked model, read from its stored evaluation (exactly once, as
 * {@code /models/{key}} shows it), and {@code gradstream_evaluation{metric, scope, samples}} over
 * every sample this instance judged since it started (all its models together: a meter, not
 * state). {@code scope} is total or window, {@code samples} prequential or served. Each is
 * computed at most once a second however many gauges read it.
 */
public final class EvaluationMeters {
  private static final long FRESH_NANOS = 1_000_000_000L;

  private final MeterRegistry registry;
  private final EvaluationKind kind;
  private final boolean window;
  /** Every sample of this instance; guarded by itself (the stream threads add, scrapes read). */
  private final ModelEvaluation overall;
  private final Function<String, Model> stored;
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
  private static final String OVERALL = "";

  /**
   * @param stored a tracked model as stored (its evaluation with its window), or null
   */
  EvaluationMeters(final MeterRegistry registry, final EvaluationSpec spec,
      final EvaluationKind kind, final Function<String, Model> stored) {
    this.registry = registry;
    this.kind = kind;
    this.window = spec.window() > 0;
    this.overall = new EvaluationSpec(spec.window(), DriftSettings.none()).fresh(kind);
    this.stored = stored;
    register("gradstream.evaluation", OVERALL, "How good this instance's models are: the "
        + "metric over every sample it judged since it started (all models together)");
  }

  /** A prequential sample, and the served one when a label joined its prediction (else NaN). */
  void judged(final StepResult step, final double d, final double servedY) {
    synchronized (overall) {
      overall.learned(servedY, step, d, 0L);
    }
  }

  /** Gauges of the tracked model {@code key}. */
  void track(final String key) {
    register("gradstream.model.evaluation", key, "How good the model is: the metric over all "
        + "its samples (scope total) or its last --eval-window ones (window), prequential (the "
        + "output before each step) or served (a served prediction against its later label)");
  }

  private void register(final String name, final String key, final String description) {
    for (final String samples : new String[] {"prequential", "served"}) {
      for (final String scope : window ? new String[] {"total", "window"}
          : new String[] {"total"}) {
        for (final String metric : names(scope)) {
          final Gauge.Builder<EvaluationMeters> gauge = Gauge.builder(name, this,
                  meters -> meters.value(key, samples, scope, metric))
              .description(description)
              .tags("metric", metric, "scope", scope, "samples", samples);
          (key.equals(OVERALL) ? gauge : gauge.tag("model", key)).register(registry);
        }
      }
    }
  }

  private String[] names(final String scope) {
    final String[] metrics = Metrics.names(kind, "window".equals(scope));
    final String[] all = new String[metrics.length + 1];
    all[0] = "count";
    System.arraycopy(metrics, 0, all, 1, metrics.length);
    return all;
  }

  private double value(final String key, final String samples, final String scope,
      final String metric) {
    final Snapshot now = snapshot(key);
    final Metrics metrics = now == null ? null
        : now.of("served".equals(samples), "window".equals(scope));
    if (metrics == null) {
      return Double.NaN;
    }
    return "count".equals(metric) ? metrics.count() : metrics.value(metric);
  }

  private Snapshot snapshot(final String key) {
    final Snapshot known = snapshots.get(key);
    if (known != null && System.nanoTime() - known.at < FRESH_NANOS) {
      return known;
    }
    final Snapshot fresh;
    if (key.equals(OVERALL)) {
      synchronized (overall) {
        fresh = Snapshot.of(overall);
      }
    } else {
      final Model model = stored.apply(key);
      if (model == null || model.evaluation() == null) {
        return null;
      }
      fresh = Snapshot.of(model.evaluation());
    }
    snapshots.put(key, fresh);
    return fresh;
  }

  /** An evaluation's four sets of metrics, when they were computed. */
  private record Snapshot(long at, Metrics total, Metrics window, Metrics servedTotal,
      Metrics servedWindow) {
    static Snapshot of(final ModelEvaluation evaluation) {
      return new Snapshot(System.nanoTime(), evaluation.total(), evaluation.window(),
          evaluation.servedTotal(), evaluation.servedWindow());
    }

    Metrics of(final boolean served, final boolean inWindow) {
      return served ? (inWindow ? servedWindow : servedTotal) : (inWindow ? window : total);
    }
  }
}
