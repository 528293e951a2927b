package io.gradstream.cli;

import io.gradstream.events.Outcome;
import io.gradstream.metrics.IntervalMean;
import io.gradstream.metrics.TrainingMeters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * What {@code run} says while it runs, from the service's own meters: a progress line every few
 * seconds (events/s, models, mean loss, dead letters/s), and a warning once a minute while every
 * event is a dead letter, with the most frequent reason and what was wrong with the latest such
 * event (a producer writing JSON to a service reading Avro is told so, instead of silence).
 */
final class RunProgress {
  static final Duration EVERY = Duration.ofSeconds(10);
  /** Dead letters without one useful event for this long, or this many, are worth a warning. */
  static final long WARN_AFTER_NANOS = Duration.ofMinutes(1).toNanos();
  static final long WARN_AFTER_EVENTS = 1000;

  private static final Outcome[] REASONS = Arrays.stream(Outcome.values())
      .filter(Outcome::refused).toArray(Outcome[]::new);

  private final TrainingMeters meters;
  private final IntSupplier models;
  private final IntervalMean loss;
  private final String deadLetterTopic;
  private final long start;
  private long lastTime;
  private long lastUseful;
  private long lastDead;
  private long[] lastByReason = new long[REASONS.length];
  /** Since the first dead letter after the last useful event: when, and counts by reason then. */
  private long runStart = -1;
  private long[] runStartByReason;
  private long lastWarning = -1;

  /**
   * @param models how many models there are (the live page's key list, refreshed in the
   *     background)
   */
  RunProgress(final TrainingMeters meters, final IntSupplier models, final String deadLetterTopic,
      final long nowNanos) {
    this.meters = meters;
    this.models = models;
    this.loss = meters.lossMean();
    this.deadLetterTopic = deadLetterTopic;
    this.start = nowNanos;
    this.lastTime = nowNanos;
  }

  /** The lines to print now: the progress line when {@code progress}, and any warning. */
  List<String> lines(final long nowNanos, final boolean progress) {
    final long useful = meters.events(Outcome.TRAINED) + meters.events(Outcome.PREDICTED)
        + meters.events(Outcome.CONTROLLED);
    final long[] byReason = deadLetters();
    final long dead = Arrays.stream(byReason).sum();
    final double seconds = Math.max(1e-9, (nowNanos - lastTime) / 1e9);
    final List<String> lines = new ArrayList<>(2);
    final long trained = loss.advance();
    if (progress) {
      lines.add(String.format(Locale.ROOT, "gradstream: [%5.0f s] %7.0f events/s  %d models  "
          + "mean loss %s  dead letters %.1f/s", (nowNanos - start) / 1e9,
          (useful - lastUseful + dead - lastDead) / seconds, models.getAsInt(),
          trained == 0 ? "-" : String.format(Locale.ROOT, "%.4g", loss.mean()),
          (dead - lastDead) / seconds));
    }
    if (useful > lastUseful) {
      runStart = -1;
    } else if (dead > lastDead && runStart < 0) {
      runStart = lastTime;
      runStartByReason = lastByReason;
    }
    lastByReason = byReason;
    lastTime = nowNanos;
    lastUseful = useful;
    lastDead = dead;
    if (runStart >= 0) {
      final String warning = warning(nowNanos, byReason);
      if (warning != null) {
        lines.add(warning);
      }
    }
    return lines;
  }

  private String warning(final long nowNanos, final long[] byReason) {
    int top = 0;
    long all = 0;
    for (int i = 0; i < REASONS.length; i++) {
      final long n = byReason[i] - runStartByReason[i];
      all += n;
      if (n > byReason[top] - runStartByReason[top]) {
        top = i;
      }
    }
    final boolean lasting = nowNanos - runStart >= WARN_AFTER_NANOS || all >= WARN_AFTER_EVENTS;
    if (!lasting || (lastWarning >= 0 && nowNanos - lastWarning < WARN_AFTER_NANOS)) {
      return null;
    }
    lastWarning = nowNanos;
    final Outcome reason = REASONS[top];
    return String.format(Locale.ROOT, "gradstream: warning: every event for the last %.0f s was "
        + "a dead letter (%d on %s, most often %s: %s); gradstream tail %s shows them with their "
        + "reasons", (nowNanos - runStart) / 1e9, all, deadLetterTopic, reason.code(),
        meters.lastDetail(reason), deadLetterTopic);
  }

  private long[] deadLetters() {
    final long[] counts = new long[REASONS.length];
    for (int i = 0; i < REASONS.length; i++) {
      counts[i] = meters.events(REASONS[i]);
    }
    return counts;
  }
}
