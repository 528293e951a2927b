package io.gradstream.metrics;

import io.gradstream.learn.Layers;
import io.gradstream.learn.Model;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.race.KeyRace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Per-model series for a bounded number of models: the moving average of the loss, the steps, the
 * weights (the first {@link #MAX_WEIGHTS}) and the bias, labelled {@code model}; for a network
 * instead of weights each layer's gradient norm and each hidden layer's dead units. The first
 * models seen are tracked, up to the bound; later ones get no series of their own (their events are
 * counted in {@code gradstream_model_series_untracked_events_total}), so the number of series never
 * grows past {@code maxModels × (3 + MAX_WEIGHTS)}.
 */
public final class ModelMeters {
  public static final int MAX_WEIGHTS = 16;

  private final MeterRegistry registry;
  private final int maxModels;
  private final ConcurrentHashMap<String, ModelSeries> tracked = new ConcurrentHashMap<>();
  private final Counter untracked;
  /** Set once the bound is reached, so that untracked models skip the registration lock. */
  private volatile boolean full;
  /** The tracked models' evaluation gauges, when models are judged. */
  private volatile EvaluationMeters evaluation;

  public ModelMeters(final MeterRegistry registry, final int maxModels) {
    this.registry = registry;
    this.maxModels = maxModels;
    this.untracked = Counter.builder("gradstream.model.series.untracked.events")
        .description("Trained events of models beyond the per-model series bound")
        .register(registry);
    Gauge.builder("gradstream.model.series.tracked", tracked, ConcurrentHashMap::size)
        .description("Models that have per-model series (at most the configured bound)")
        .register(registry);
  }

  /**
   * @param step what the step computed (a network's layer norms and activations are read)
   * @param x the event's features, d its label
   */
  void trained(final String key, final double loss, final StepResult step, final Model after,
      final double[] x, final double d) {
    ModelSeries series = tracked.get(key);
    if (series == null) {
      series = full ? null : track(key, after);
      if (series == null) {
        untracked.increment();
        return;
      }
    }
    series.update(loss, step, after, x, d);
  }

  /** A raced key's event: its race and variants, for its series if it has one. */
  void raced(final String key, final KeyRace race, final IntFunction<Model> variant) {
    final ModelSeries series = tracked.get(key);
    if (series != null) {
      series.raced(race, variant);
    }
  }

  /** Each model tracked from now on gets the evaluation gauges of {@code meters} too. */
  void judgedBy(final EvaluationMeters meters) {
    this.evaluation = meters;
  }

  /** The tracked models' series by key, for the live page (read only). */
  public Map<String, ModelSeries> tracked() {
    return Collections.unmodifiableMap(tracked);
  }

  private synchronized ModelSeries track(final String key, final Model model) {
    final ModelSeries known = tracked.get(key);
    if (known != null) {
      return known;
    }
    if (tracked.size() >= maxModels) {
      full = true;
      return null;
    }
    final Layers layers = model.layers();
    // a network's first weights say little: its layers' gradients and dead units say more; a
    // hashed model has no first weights (its coordinates are hashes)
    final boolean dense = layers == null && model.sparse() == null;
    final int shown = dense ? Math.min(model.features(), MAX_WEIGHTS) : 0;
    final ModelSeries series = new ModelSeries(shown, model.hasBias(), layers,
        dense && model.features() + (model.hasBias() ? 1 : 0) == 2);
    for (int l = 1; layers != null && l <= layers.count(); l++) {
      final int layer = l;
      final String name = Integer.toString(l);
      Gauge.builder("gradstream.model.layer.gradient.norm", series,
              s -> s.layerGradientNorm(layer))
          .description("Moving average of the norm of the layer's gradient (layer 1 takes the "
              + "inputs): one falling towards 0 while the output's does not is a vanishing "
              + "gradient").tags("model", key, "layer", name).register(registry);
      if (l < layers.count()) {
        Gauge.builder("gradstream.model.dead.units", series, s -> s.deadUnits(layer))
            .description("Hidden units of the layer whose output was 0 on each of the model's "
                + "last 1000 steps (dead relus: they pass no gradient back)")
            .tags("model", key, "layer", name).register(registry);
      }
    }
    Gauge.builder("gradstream.model.loss.ewma", series, ModelSeries::lossEwma)
        .description("Moving average of the model's prequential loss (about the last 100 events)")
        .tag("model", key).register(registry);
    Gauge.builder("gradstream.model.steps", series, ModelSeries::steps)
        .description("SGD steps the model has taken").tag("model", key).register(registry);
    for (int i = 0; i < shown; i++) {
      final int index = i;
      Gauge.builder("gradstream.model.weight", series, s -> s.weight(index))
          .description("The model's weight w_index after its latest step")
          .tags("model", key, "index", Integer.toString(i + 1)).register(registry);
    }
    if (model.hasBias()) {
      Gauge.builder("gradstream.model.bias", series, ModelSeries::bias)
          .description("The model's bias after its latest step").tag("model", key)
          .register(registry);
    }
    if (evaluation != null && model.evaluation() != null) {
      evaluation.track(key);
    }
    tracked.put(key, series);
    return series;
  }
}
