package io.gradstream.metrics;

import io.gradstream.events.ModelControl;
import io.gradstream.events.Outcome;
import io.gradstream.learn.Model;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.race.KeyRace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Histogram;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The learning meters: events by outcome and reason, the distributions of loss, gradient norm and
 * latency, and the per-model series of {@link ModelMeters}. The shared meters are registered up
 * front so that recording one event is an array index and a few adds, with no allocation.
 */
public final class TrainingMeters {
  /**
   * Losses and norms span many decades: buckets at 1, 2 and 5 times each power of ten from 1e-8
   * to 1e4, so that a quantile read from them is off by at most a factor of 2.5.
   */
  static final double[] DECADE_BUCKETS = oneTwoFive(-8, 4);

  private final Counter[] events;
  /** By outcome: read by the run's progress line only, a stale read does no harm. */
  private final String[] lastDetails = new String[Outcome.values().length];
  private final Histogram loss;
  private final Histogram gradientNorm;
  private final Histogram updateNorm;
  private final Timer latency;
  private final Counter predictionsServed;
  private final Counter predictionsJoined;
  private final Counter predictionsTooLate;
  private final Counter predictionsExpired;
  private final Timer labelDelay;
  private final Histogram servedLoss;
  /** By detector, keep then reset. */
  private final Counter[] drifts = new Counter[4];
  private final Set<LongSupplier> pendingStores = ConcurrentHashMap.newKeySet();
  private final ModelMeters models;
  private final MeterRegistry registry;
  /** Set once at start when models are judged; null otherwise. */
  private volatile EvaluationMeters evaluation;

  /** @param modelSeries how many models get series of their own (see {@link ModelMeters}) */
  public TrainingMeters(final MeterRegistry registry, final int modelSeries) {
    this.registry = registry;
    models = new ModelMeters(registry, modelSeries);
    final Outcome[] outcomes = Outcome.values();
    events = new Counter[outcomes.length];
    for (final Outcome o : outcomes) {
      events[o.ordinal()] = Counter.builder("gradstream.events")
          .description("Events by outcome (trained, predicted or invalid) and reason")
          .tag("outcome", o.refused() ? "invalid" : o.code())
          .tag("reason", o.refused() ? o.code() : "none")
          .register(registry);
    }
    // at zero from the start, like the events: a counter first seen at 3 shows Prometheus no
    // increase, and a panel or alert on its increase would miss the first ones after every start
    for (final ModelControl action : ModelControl.values()) {
      controlledCounter(action.code());
    }
    loss = decades(registry, "gradstream_loss",
        "Prequential loss L = ½e² of each trained event, before its step");
    gradientNorm = decades(registry, "gradstream_gradient_norm",
        "L2 norm of the gradient of each trained event");
    updateNorm = decades(registry, "gradstream_update_norm",
        "L2 norm of each step's change to the parameters: η·‖∇L‖ for plain SGD, what an "
            + "adaptive optimizer made of the gradient otherwise");
    latency = Timer.builder("gradstream.event.latency")
        .description("From the event's time (or its record's timestamp) to its step")
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
    predictionsServed = predictions(registry, "served");
    predictionsJoined = predictions(registry, "joined");
    predictionsTooLate = predictions(registry, "label-too-late");
    predictionsExpired = predictions(registry, "expired");
    labelDelay = Timer.builder("gradstream.label.delay")
        .description("From a prediction to its label, in event time, for joined labels")
        .serviceLevelObjectives(DELAY_BUCKETS)
        .register(registry);
    servedLoss = decades(registry, "gradstream_served_loss",
        "½(d − y)² of each served prediction whose label joined it: the loss of what was "
            + "served, beside gradstream_loss, the loss at label time");
    int at = 0;
    for (final String detector : new String[] {"page-hinkley", "ddm"}) {
      for (final String action : new String[] {"keep", "reset"}) {
        drifts[at++] = Counter.builder("gradstream.drifts")
            .description("Drifts the models' detectors signalled (--drift), by detector and "
                + "what the drift did (--on-drift)")
            .tag("detector", detector).tag("action", action).register(registry);
      }
    }
    Gauge.builder("gradstream.predictions.pending", pendingStores,
            stores -> stores.stream().mapToLong(LongSupplier::getAsLong).sum())
        .description("Predictions with an id that wait for their label (RocksDB's estimate)")
        .register(registry);
  }

  /**
   * A histogram of a quantity that spans many decades (losses, norms), from the Prometheus client
   * itself: Micrometer's fixed-boundary histograms round each value up to a whole number before
   * bucketing it, which put every loss below 1 into the bucket {@code le="1.0"}. It is served with
   * the registry's other meters when that registry is Prometheus's; elsewhere (tests, benchmarks)
   * it only counts.
   */
  private static Histogram decades(final MeterRegistry registry, final String name,
      final String description) {
    final Histogram histogram = Histogram.builder().name(name).help(description)
        .classicOnly().classicUpperBounds(DECADE_BUCKETS).withoutExemplars().build();
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      prometheus.getPrometheusRegistry().register(histogram);
    }
    return histogram;
  }

  private static Counter predictions(final MeterRegistry registry, final String outcome) {
    return Counter.builder("gradstream.predictions")
        .description("Predictions: served (published), and of those with an id, joined by "
            + "their label, refused as label-too-late, or expired unlabelled")
        .tag("outcome", outcome)
        .register(registry);
  }

  private static final Duration[] DELAY_BUCKETS = {
      Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5),
      Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
      Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1),
      Duration.ofDays(7)};

  /** A prediction was published. */
  public void predicted() {
    events[Outcome.PREDICTED.ordinal()].increment();
    predictionsServed.increment();
  }

  /** A model's detector ({@code page-hinkley} or {@code ddm}) signalled a drift. */
  public void drifted(final String detector, final boolean reset) {
    drifts[("ddm".equals(detector) ? 2 : 0) + (reset ? 1 : 0)].increment();
  }

  /**
   * A label joined its prediction (its step is recorded by {@link #trained} as well); {@code
   * servedLoss} NaN when there is none to tell (a model of K classes keeps only the probability
   * of the class it served).
   */
  public void joined(final long delayMillis, final double servedLoss) {
    predictionsJoined.increment();
    labelDelay.record(Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    if (!Double.isNaN(servedLoss)) {
      this.servedLoss.observe(servedLoss);
    }
  }

  /** A label came too late for its prediction (the label itself is counted by refused). */
  public void labelTooLate() {
    predictionsTooLate.increment();
  }

  /** The cleanup removed predictions whose label can no longer come in time. */
  public void expired(final int count) {
    predictionsExpired.increment(count);
  }

  /** Counts a task's pending predictions in the gauge until {@link #removePending}. */
  public void addPending(final LongSupplier entries) {
    pendingStores.add(entries);
  }

  public void removePending(final LongSupplier entries) {
    pendingStores.remove(entries);
  }

  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofMinutes(1), Duration.ofMinutes(5)};

  /**
   * @param x the event's features, d its label
   * @param latencyMillis from the event's time to now; negative (clock skew) counts as 0
   */
  public void trained(final String key, final StepResult step, final Model after,
      final double[] x, final double d, final long latencyMillis) {
    events[Outcome.TRAINED.ordinal()].increment();
    loss.observe(step.loss());
    gradientNorm.observe(step.gradientNorm());
    updateNorm.observe(step.updateNorm());
    latency.record(Math.max(0, latencyMillis), TimeUnit.MILLISECONDS);
    models.trained(key, step.loss(), step, after, x, d);
  }

  /**
   * A raced key's event, before its champion's {@link #trained}: the race (each variant's weighted
   * loss, the champion) and each variant's model, for the key's series when it has one.
   */
  public void raced(final String key, final KeyRace race, final IntFunction<Model> variant) {
    models.raced(key, race, variant);
  }

  /**
   * Models are judged by {@code spec}: gauges of their evaluation, each tracked model's read from
   * {@code stored} (its stored model, or null), and this instance's over all its samples.
   */
  public void judging(final EvaluationSpec spec, final EvaluationKind kind,
      final Function<String, Model> stored) {
    evaluation = new EvaluationMeters(registry, spec, kind, stored);
    models.judgedBy(evaluation);
  }

  /**
   * A judged model's step: its output before the step against d, and when a label joined its
   * prediction that prediction's y ({@code servedY}; NaN otherwise).
   */
  public void judged(final StepResult step, final double d, final double servedY) {
    final EvaluationMeters meters = evaluation;
    if (meters != null) {
      meters.judged(step, d, servedY);
    }
  }

  /** The prequential loss of trained events, for the demo's progress line and the live page. */
  public IntervalMean lossMean() {
    return new IntervalMean(loss::getCount, loss::getSum);
  }

  /** The loss of served predictions whose labels joined them, read as {@link #lossMean}. */
  public IntervalMean servedLossMean() {
    return new IntervalMean(servedLoss::getCount, servedLoss::getSum);
  }

  /** The per-model series, for the live page. */
  public ModelMeters models() {
    return models;
  }

  /** @param detail what was wrong with the event, kept as the latest of its reason */
  public void refused(final Outcome reason, final String detail) {
    events[reason.ordinal()].increment();
    lastDetails[reason.ordinal()] = detail;
  }

  /** How many events had this outcome so far. */
  public long events(final Outcome outcome) {
    return (long) events[outcome.ordinal()].count();
  }

  /** What was wrong with the latest event refused for {@code reason}; null before any. */
  public String lastDetail(final Outcome reason) {
    return lastDetails[reason.ordinal()];
  }

  /** An operator's action on a model was carried out; rare. */
  public void controlled(final String action) {
    events[Outcome.CONTROLLED.ordinal()].increment();
    controlledCounter(action).increment();
  }

  /**
   * A key's race named a new champion, {@code variant} (a key's first training event names its
   * first); at most once per event, and the race's few variants bound the tags.
   */
  public void championChanged(final String variant) {
    Counter.builder("gradstream.race.champion.changes")
        .description("Changes of a key's champion in a race, by the variant that became champion "
            + "(a key's first training event names its first)")
        .tag("variant", variant)
        .register(registry).increment();
  }

  /** A stored model met other settings and was reset or kept ({@code action}); rare. */
  public void settingsChanged(final String action) {
    settingsChangedCounter(action).increment();
  }

  /**
   * Registers at zero the counters of what may be done with models met under other settings
   * ({@code actions}, which the stream's policy names), as the constructor does the others.
   */
  public void registerSettingsChanges(final List<String> actions) {
    actions.forEach(this::settingsChangedCounter);
  }

  private Counter controlledCounter(final String action) {
    return Counter.builder("gradstream.models.controlled")
        .description("Operators' actions on single models (reset, delete, set), carried out")
        .tag("action", action)
        .register(registry);
  }

  private Counter settingsChangedCounter(final String action) {
    return Counter.builder("gradstream.models.settings.changed")
        .description("Stored models met under other settings, by what was done with them")
        .tag("action", action)
        .register(registry);
  }

  /** 1, 2 and 5 times 10^e for e from {@code fromExponent} to 1 times 10^toExponent. */
  private static double[] oneTwoFive(final int fromExponent, final int toExponent) {
    final double[] bounds = new double[3 * (toExponent - fromExponent) + 1];
    for (int i = 0; i < bounds.length; i++) {
      // parsed, not multiplied: 3 * 0.1 is 0.30000000000000004, "2e-1" is the double nearest 0.2
      bounds[i] = Double.parseDouble("125".charAt(i % 3) + "e" + (fromExponent + i / 3));
    }
    return bounds;
  }
}
