package io.gradstream.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The distributions on /metrics read as users read them: quantiles computed from the scraped
 * buckets the way Prometheus's histogram_quantile computes them, against the true quantiles of the
 * values recorded.
 */
class TrainingMetersTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TrainingMeters meters = new TrainingMeters(registry, 0);

  /** A scraped classic histogram: upper bounds and cumulative counts, +Inf last. */
  private record Buckets(List<Double> bounds, List<Long> counts, List<String> labels) {}

  /** A counter first scraped at 3 shows Prometheus no increase: rare ones start at zero. */
  @Test
  void rareCountersAreScrapedAtZeroBeforeAnythingHappens() {
    meters.registerSettingsChanges(List.of("reset", "keep"));
    final String text = registry.scrape();
    for (final String action : new String[] {"reset", "delete", "set"}) {
      assertThat(text).contains("gradstream_models_controlled_total{action=\"" + action
          + "\"} 0.0");
    }
    for (final String action : new String[] {"reset", "keep"}) {
      assertThat(text).contains("gradstream_models_settings_changed_total{action=\"" + action
          + "\"} 0.0");
    }
    meters.controlled("delete");
    assertThat(registry.scrape()).contains(
        "gradstream_models_controlled_total{action=\"delete\"} 1.0");
  }

  @Test
  void quantilesFromTheScrapedBucketsAreWithinOneBucketOfTheTrueOnes() {
    final Random random = new Random(7);
    // values over nine decades, as losses and norms are; and the case that was reported: gradient
    // norms of mean 0.014 that the old buckets gave a median of 0.65
    final double[][] samples = {new double[20_000], new double[20_000]};
    for (int i = 0; i < samples[0].length; i++) {
      samples[0][i] = Math.pow(10, -7 + 9 * random.nextDouble());
      samples[1][i] = -0.014 * Math.log(1 - random.nextDouble());
    }
    for (final double[] values : samples) {
      final PrometheusMeterRegistry fresh = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      final TrainingMeters recorded = new TrainingMeters(fresh, 0);
      for (final double v : values) {
        recorded.joined(0, v);
      }
      final Buckets buckets = scrape(fresh.scrape(), "gradstream_served_loss");
      final double[] sorted = values.clone();
      Arrays.sort(sorted);
      for (final double q : new double[] {0.1, 0.5, 0.9, 0.99}) {
        final double exact = sorted[(int) Math.ceil(q * sorted.length) - 1];
        final double estimate = histogramQuantile(q, buckets);
        assertThat(Math.abs(bucketOf(estimate, buckets) - bucketOf(exact, buckets)))
            .as("q=%s: %s read from the buckets, %s recorded", q, estimate, exact)
            .isLessThanOrEqualTo(1);
      }
      assertThat(counter(fresh.scrape(), "gradstream_served_loss_count"))
          .isEqualTo(values.length);
      assertThat(counter(fresh.scrape(), "gradstream_served_loss_sum"))
          .isCloseTo(Arrays.stream(values).sum(), within(1e-9 * Arrays.stream(values).sum()));
    }
  }

  @Test
  void eachDistributionHasReadableBucketsFrom1eMinus8To1e4AndPutsAStepInItsOwn() {
    // identity, no bias, w = 0, x = 1, d = 0.3: loss ½·0.3² = 0.045, gradient 0.3, update 0.03
    final ModelSpec spec = new ModelSpec(1, false, Activation.IDENTITY, 0.1, null, 0.0);
    final Model model = Model.initial(spec);
    final StepResult step = new StepResult();
    assertThat(Learner.of(spec).learn(model, new double[] {1}, 0.3, step))
        .isEqualTo(Verdict.TRAINED);
    meters.trained("k", step, model, new double[] {1}, 0.3, 0);
    final String text = registry.scrape();

    final List<String> expectedLabels = new ArrayList<>();
    for (int e = -8; e <= 4; e++) {
      for (final int m : new int[] {1, 2, 5}) {
        if (e < 4 || m == 1) {
          expectedLabels.add(Double.toString(Double.parseDouble(m + "e" + e)));
        }
      }
    }
    expectedLabels.add("+Inf");
    assertThat(expectedLabels).startsWith("1.0E-8", "2.0E-8", "5.0E-8", "1.0E-7")
        .contains("0.001", "0.2", "0.5", "1.0", "2.0", "10000.0").hasSize(38);

    for (final String[] meter : new String[][] {{"gradstream_loss", "0.02", "0.05"},
        {"gradstream_gradient_norm", "0.2", "0.5"}, {"gradstream_update_norm", "0.02", "0.05"}}) {
      final Buckets buckets = scrape(text, meter[0]);
      assertThat(buckets.labels()).as(meter[0]).isEqualTo(expectedLabels);
      final int below = buckets.labels().indexOf(meter[1]);
      assertThat(buckets.counts().get(below)).as(meter[0] + " le=" + meter[1]).isZero();
      assertThat(buckets.counts().get(below + 1)).as(meter[0] + " le=" + meter[2]).isOne();
    }
    assertThat(counter(text, "gradstream_loss_sum")).isEqualTo(0.5 * 0.3 * 0.3);
    assertThat(meters.lossMean().advance()).isOne();
  }

  @Test
  void theIntervalMeanReadsWhatWasRecordedSinceTheLastRead() {
    final IntervalMean served = meters.servedLossMean();
    meters.joined(0, 0.25);
    meters.joined(0, 0.75);
    assertThat(served.advance()).isEqualTo(2);
    assertThat(served.mean()).isEqualTo(0.5);
    meters.joined(0, 2.0);
    assertThat(served.advance()).isOne();
    assertThat(served.mean()).isEqualTo(2.0);
    assertThat(served.advance()).isZero();
    assertThat(served.mean()).isNaN();
  }

  private static Buckets scrape(final String text, final String name) {
    final Matcher m = Pattern.compile("(?m)^" + name + "_bucket\\{le=\"([^\"]+)\"} (\\S+)$")
        .matcher(text);
    final List<Double> bounds = new ArrayList<>();
    final List<Long> counts = new ArrayList<>();
    final List<String> labels = new ArrayList<>();
    while (m.find()) {
      labels.add(m.group(1));
      bounds.add(m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY
          : Double.parseDouble(m.group(1)));
      counts.add((long) Double.parseDouble(m.group(2)));
    }
    assertThat(labels).as(name + " in\n" + text).isNotEmpty();
    return new Buckets(bounds, counts, labels);
  }

  private static double counter(final String text, final String name) {
    final Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(text);
    assertThat(m.find()).as(name).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** Which bucket holds {@code v}: the first whose upper bound is at least v. */
  private static int bucketOf(final double v, final Buckets buckets) {
    int i = 0;
    while (buckets.bounds().get(i) < v) {
      i++;
    }
    return i;
  }

  /**
   * Prometheus's histogram_quantile over one series' buckets (promql/quantile.go, bucketQuantile):
   * the rank q·count is found in the first bucket whose cumulative count reaches it and placed
   * linearly between that bucket's bounds (the first bucket's lower bound is 0); a rank in the
   * +Inf bucket gives the highest finite bound.
   */
  private static double histogramQuantile(final double q, final Buckets b) {
    final int n = b.bounds().size();
    final double observations = b.counts().get(n - 1);
    double rank = q * observations;
    int i = 0;
    while (b.counts().get(i) < rank) {
      i++;
    }
    if (i == n - 1) {
      return b.bounds().get(n - 2);
    }
    double start = 0;
    double count = b.counts().get(i);
    if (i > 0) {
      start = b.bounds().get(i - 1);
      count -= b.counts().get(i - 1);
      rank -= b.counts().get(i - 1);
    }
    return start + (b.bounds().get(i) - start) * (rank / count);
  }
}
