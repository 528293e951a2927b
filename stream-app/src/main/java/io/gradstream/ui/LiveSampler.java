package io.gradstream.ui;

import io.gradstream.events.Outcome;
import io.gradstream.learn.Model;
import io.gradstream.learn.evaluate.Metrics;
import io.gradstream.learn.evaluate.ModelEvaluation;
import io.gradstream.metrics.IntervalMean;
import io.gradstream.metrics.ModelMeters;
import io.gradstream.metrics.ModelSeries;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.query.ModelLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the live page shows over time: once a second it reads the service's own meters (events/s,
 * dead letters/s by reason, the mean loss and the served-prediction loss over that second) and each
 * tracked model's series (its moving-average loss, steps, weights and bias) into rings of {@link
 * #SAMPLES} samples. Only the models that have Prometheus series ({@code --model-metrics}) get a
 * ring, so memory is bounded whatever the number of keys; the key list for search is refreshed
 * from the store every few seconds, apart from any request, so that a page over 10,000 models
 * answers from memory. {@link LiveView} renders what it holds.
 */
public final class LiveSampler implements AutoCloseable {
  /** Samples kept per series: ten minutes at one a second. */
  static final int SAMPLES = 600;
  private static final long KEYS_EVERY_MS = 5000;

  private final TrainingMeters meters;
  private final ModelMeters models;
  private final ModelLookup lookup;
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
      runnable -> {
        final Thread t = new Thread(runnable, "gradstream-live-view");
        t.setDaemon(true);
        return t;
      });
  /** time, events/s, mean loss, served loss, then one column per dead-letter reason. */
  private final History overall = new History(SAMPLES);
  private final List<String> reasons = new CopyOnWriteArrayList<>();
  /** time, loss EWMA, steps, bias, then the weights or each layer's gradient norm. */
  private final Map<String, History> perModel = new ConcurrentHashMap<>();
  /**
   * time, then a judged model's main metric (a classifier's accuracy, a regression's R²) over
   * its window, prequential and served, its drifts so far and its generation: read from the
   * stored model, as {@code /models/{key}} shows it.
   */
  private final Map<String, History> perModelEvaluation = new ConcurrentHashMap<>();
  /** time, a raced model's champion (its index), then each variant's weighted loss. */
  private final Map<String, History> perModelRace = new ConcurrentHashMap<>();
  /** The keys, sorted, and the same in lower case for search; replaced together. */
  private volatile KeyList keys = new KeyList(List.of(), List.of(), null);
  /** Samples taken so far: what is derived from one (a loss surface) is kept until the next. */
  private volatile long samples;
  private long lastKeys = Long.MIN_VALUE;
  private long lastTime;
  private double lastEvents = Double.NaN;
  private final Map<String, Double> lastDead = new TreeMap<>();
  private final IntervalMean loss;
  private final IntervalMean servedLoss;

  public LiveSampler(final TrainingMeters meters, final ModelLookup lookup) {
    this.meters = meters;
    this.models = meters.models();
    this.lookup = lookup;
    this.loss = meters.lossMean();
    this.servedLoss = meters.servedLossMean();
  }

  /**
   * The model keys, sorted, the same in lower case, and why the last refresh failed (null when it
   * did not).
   */
  record KeyList(List<String> keys, List<String> lowerCase, String problem) {}

  /** The models in the key list, refreshed every few seconds in the background. */
  public int modelCount() {
    return keys.keys().size();
  }

  KeyList keys() {
    return keys;
  }

  long samples() {
    return samples;
  }

  /** The service's series: time, events/s, mean loss, served loss, then {@link #reasons()}. */
  History overall() {
    return overall;
  }

  /** The dead-letter reasons seen so far, in the order of their columns in {@link #overall()}. */
  List<String> reasons() {
    return reasons;
  }

  /** A tracked model's series; null for a model without one. */
  History history(final String key) {
    return perModel.get(key);
  }

  /** A tracked, judged model's evaluation series; null for a model without one. */
  History evaluation(final String key) {
    return perModelEvaluation.get(key);
  }

  /** A tracked, raced model's race series; null for a model without one. */
  History race(final String key) {
    return perModelRace.get(key);
  }

  /** Every tracked model's series, by key, sorted. */
  Map<String, History> histories() {
    return new TreeMap<>(perModel);
  }

  /** Starts sampling, once a second. */
  public LiveSampler start() {
    sampler.scheduleAtFixedRate(this::sampleSafely, 0, 1, TimeUnit.SECONDS);
    return this;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }

  private void sampleSafely() {
    try {
      sample(System.currentTimeMillis());
    } catch (final RuntimeException e) {
      // a sample is skipped, never the sampler: the next second tries again
    }
  }

  /** One sample of everything, at {@code now} (epoch ms); only the sampler calls it. */
  void sample(final long now) {
    sampleMeters(now);
    samples++;
    if (lastKeys == Long.MIN_VALUE || now - lastKeys >= KEYS_EVERY_MS) {
      lastKeys = now;
      try {
        final List<String> all = List.copyOf(lookup.keys(false).keys());
        final List<String> lower = new ArrayList<>(all.size());
        for (final String key : all) {
          lower.add(key.toLowerCase(Locale.ROOT));
        }
        keys = new KeyList(all, lower, null);
      } catch (final ModelLookup.UnavailableException e) {
        keys = new KeyList(keys.keys(), keys.lowerCase(), e.getMessage());
      }
    }
  }

  private void sampleMeters(final long now) {
    double events = 0;
    final Map<String, Double> dead = new TreeMap<>();
    for (final Outcome outcome : Outcome.values()) {
      if (outcome.refused()) {
        dead.put(outcome.code(), (double) meters.events(outcome));
      } else {
        events += meters.events(outcome);
      }
    }
    loss.advance();
    servedLoss.advance();
    final double seconds = (now - lastTime) / 1000.0;
    if (!Double.isNaN(lastEvents) && seconds > 0) {
      for (final Map.Entry<String, Double> e : dead.entrySet()) {
        final double before = lastDead.getOrDefault(e.getKey(), 0.0);
        if (e.getValue() > before && !reasons.contains(e.getKey())) {
          reasons.add(e.getKey());
        }
      }
      final double[] row = new double[4 + reasons.size()];
      row[0] = now / 1000.0;
      row[1] = (events - lastEvents) / seconds;
      row[2] = loss.mean();
      row[3] = servedLoss.mean();
      for (int r = 0; r < reasons.size(); r++) {
        row[4 + r] = (dead.getOrDefault(reasons.get(r), 0.0)
            - lastDead.getOrDefault(reasons.get(r), 0.0)) / seconds;
      }
      overall.add(row);
    }
    lastTime = now;
    lastEvents = events;
    lastDead.clear();
    lastDead.putAll(dead);
    for (final Map.Entry<String, ModelSeries> e : models.tracked().entrySet()) {
      final ModelSeries s = e.getValue();
      // one neuron: its weights; a network: each layer's gradient norm (its weights are many)
      final int layers = s.layers() == null ? 0 : s.layers().count();
      final double[] row = new double[4 + (layers > 0 ? layers : s.shownWeights())];
      row[0] = now / 1000.0;
      row[1] = s.lossEwma();
      row[2] = s.steps();
      row[3] = s.hasBias() ? s.bias() : Double.NaN;
      for (int i = 4; i < row.length; i++) {
        row[i] = layers > 0 ? s.layerGradientNorm(i - 3) : s.weight(i - 4);
      }
      perModel.computeIfAbsent(e.getKey(), k -> new History(SAMPLES)).add(row);
      if (s.champion() >= 0) {
        final double[] losses = s.variantLosses();
        final double[] raced = new double[2 + losses.length];
        raced[0] = now / 1000.0;
        raced[1] = s.champion();
        System.arraycopy(losses, 0, raced, 2, losses.length);
        perModelRace.computeIfAbsent(e.getKey(), k -> new History(SAMPLES)).add(raced);
      }
      sampleEvaluation(e.getKey(), now);
    }
  }

  private void sampleEvaluation(final String key, final long now) {
    final ModelEvaluation evaluation;
    try {
      evaluation = lookup.find(key, true).map(Model::evaluation).orElse(null);
    } catch (final ModelLookup.UnavailableException e) {
      return;
    }
    if (evaluation == null) {
      return;
    }
    final String metric = LiveView.mainMetric(evaluation.kind());
    perModelEvaluation.computeIfAbsent(key, k -> new History(SAMPLES)).add(now / 1000.0,
        value(evaluation.window(), metric), value(evaluation.servedWindow(), metric),
        evaluation.driftCount(), evaluation.generation());
  }

  private static double value(final Metrics metrics, final String name) {
    return metrics == null ? Double.NaN : metrics.value(name);
  }
}
