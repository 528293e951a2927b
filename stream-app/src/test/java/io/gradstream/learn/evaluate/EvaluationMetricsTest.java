package io.gradstream.learn.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The metrics against plain computations written here (a list of the last W samples, every pair
 * of a positive and a negative for auc), by hand where it is short, and the edges: no samples,
 * one class, constant labels, certain predictions.
 */
class EvaluationMetricsTest {
  private static double close(final double expected) {
    return 1e-12 * Math.max(1.0, Math.abs(expected));
  }

  /** The metrics of {@code samples} ({ŷ, d} each), computed as their definitions read. */
  private static Metrics plain(final EvaluationKind kind, final List<double[]> samples,
      final boolean window) {
    final int n = samples.size();
    if (kind == EvaluationKind.REGRESSION) {
      double mean = 0;
      for (final double[] s : samples) {
        mean += s[1] / n;
      }
      double abs = 0;
      double res = 0;
      double tot = 0;
      for (final double[] s : samples) {
        abs += Math.abs(s[1] - s[0]);
        res += (s[1] - s[0]) * (s[1] - s[0]);
        tot += (s[1] - mean) * (s[1] - mean);
      }
      return Metrics.regression(n, abs / n, Math.sqrt(res / n),
          tot == 0 ? Double.NaN : 1 - res / tot);
    }
    if (kind == EvaluationKind.MULTICLASS) {
      // ŷ the label's probability, d 1 when the most probable class was the label
      double log = 0;
      double right = 0;
      for (final double[] s : samples) {
        log -= Math.log(Math.min(Math.max(s[0], 1e-15), 1 - 1e-15));
        right += s[1];
      }
      return n == 0 ? Metrics.multiclass(0, Double.NaN, Double.NaN)
          : Metrics.multiclass(n, log / n, right / n);
    }
    double log = 0;
    double right = 0;
    double brier = 0;
    long pairs = 0;
    double wins = 0;
    for (final double[] s : samples) {
      final double p = Math.min(Math.max(s[0], 1e-15), 1 - 1e-15);
      log -= s[1] * Math.log(p) + (1 - s[1]) * Math.log(1 - p);
      right += (s[0] >= 0.5) == (s[1] >= 0.5) ? 1 : 0;
      brier += (s[0] - s[1]) * (s[0] - s[1]);
      if (s[1] >= 0.5) {
        for (final double[] o : samples) {
          if (o[1] < 0.5) {
            pairs++;
            wins += s[0] > o[0] ? 1.0 : s[0] == o[0] ? 0.5 : 0.0;
          }
        }
      }
    }
    return Metrics.binary(n, log / n, right / n, brier / n,
        window && pairs > 0 ? wins / pairs : Double.NaN);
  }

  /** The metric {@code name} of {@code m}, read by its accessor (not by {@code value}). */
  private static double component(final Metrics m, final String name) {
    return switch (name) {
      case "mae" -> m.mae();
      case "rmse" -> m.rmse();
      case "r2" -> m.r2();
      case "logLoss" -> m.logLoss();
      case "accuracy" -> m.accuracy();
      case "brier" -> m.brier();
      default -> m.auc();
    };
  }

  private static void assertMetrics(final Metrics got, final Metrics expected) {
    assertThat(got.kind()).isEqualTo(expected.kind());
    assertThat(got.count()).isEqualTo(expected.count());
    for (final String name : Metrics.names(expected.kind(), true)) {
      final double want = component(expected, name);
      if (Double.isNaN(want)) {
        assertThat(got.value(name)).as(name).isNaN();
      } else {
        assertThat(got.value(name)).as(name).isCloseTo(want, within(close(want)));
      }
    }
  }

  @Test
  void aWindowHoldsTheLastWSamplesWhateverW() {
    final Random random = new Random(3);
    for (final int w : new int[] {1, 2, 15, 16, 17, 31, 50, 1000}) {
      for (final EvaluationKind kind : EvaluationKind.values()) {
        final SampleWindow window = new SampleWindow(w);
        final Totals totals = new Totals(kind);
        final List<double[]> all = new ArrayList<>();
        int start = 0;
        for (int t = 0; t < 3 * w + 40; t++) {
          final boolean classes = kind != EvaluationKind.REGRESSION;
          final double y = kind == EvaluationKind.MULTICLASS ? random.nextInt(20) / 19.0
              : classes ? random.nextInt(5) / 4.0 : random.nextGaussian();
          final double d = classes ? random.nextInt(2) : 0.8 * y + random.nextGaussian();
          window.add(y, d);
          totals.add(y, d);
          all.add(new double[] {y, d});
          if (t == 2 * w + 3) {
            window.restart();
            start = all.size();
          }
          if (t % (w >= 1000 ? 97 : 7) == 0 || t == 3 * w + 39) {
            final List<double[]> last = all.subList(Math.max(start, all.size() - w), all.size());
            assertThat(window.count()).as("W %d t %d", w, t).isEqualTo(last.size());
            if (!last.isEmpty() && (kind != EvaluationKind.REGRESSION || last.size() > 1)) {
              assertMetrics(window.metrics(kind), plain(kind, last, true));
            }
            assertMetrics(totals.metrics(), plain(kind, all, false));
          }
        }
        assertThat(window.size()).isEqualTo(w);
      }
    }
  }

  @Test
  void aucCountsEveryPairAndHalfOfEachTie() {
    // positives 0.8, 0.4, 0.4; negatives 0.4, 0.1: pairs 6, wins 2 + (0.5 + 1) · 2 = 5
    final double[] y = {0.8, 0.4, 0.4, 0.4, 0.1};
    final double[] d = {1, 1, 1, 0, 0};
    assertThat(WindowMetrics.auc(y, d, 5, 3)).isEqualTo(5.0 / 6);
    final SampleWindow window = new SampleWindow(5);
    for (int i = 0; i < 5; i++) {
      window.add(y[i], d[i]);
    }
    assertThat(window.metrics(EvaluationKind.BINARY).auc()).isEqualTo(5.0 / 6);
    // one class: undefined
    assertThat(WindowMetrics.auc(y, new double[] {1, 1, 1, 1, 1}, 5, 5)).isNaN();
    assertThat(WindowMetrics.auc(y, new double[5], 5, 0)).isNaN();
  }

  @Test
  void theEdges() {
    assertThat(new Totals(EvaluationKind.REGRESSION).metrics().mae()).isNaN();
    assertThat(new Totals(EvaluationKind.BINARY).metrics().logLoss()).isNaN();
    assertThat(new SampleWindow(3).metrics(EvaluationKind.BINARY).count()).isZero();
    assertThat(new SampleWindow(3).metrics(EvaluationKind.REGRESSION).rmse()).isNaN();
    // every label the same: r2 is undefined, the others are not
    final Totals constant = new Totals(EvaluationKind.REGRESSION);
    final SampleWindow window = new SampleWindow(4);
    for (final double y : new double[] {1.0, 2.0, 4.0}) {
      constant.add(y, 2.0);
      window.add(y, 2.0);
    }
    assertThat(constant.metrics().r2()).isNaN();
    assertThat(window.metrics(EvaluationKind.REGRESSION).r2()).isNaN();
    assertThat(constant.metrics().mae()).isCloseTo(1.0, within(1e-15));
    assertThat(constant.metrics().rmse()).isCloseTo(Math.sqrt(5.0 / 3), within(1e-15));
    // a certain and wrong prediction: log loss −ln(1 − p), p clipped to 1 − 1e-15 (as sklearn
    // computes it: about 34.54), not infinite
    final Totals binary = new Totals(EvaluationKind.BINARY);
    binary.add(1.0, 0.0);
    binary.add(0.5, 1.0);
    assertThat(binary.metrics().logLoss()).isCloseTo(
        (-Math.log(1.0 - (1.0 - 1e-15)) - Math.log(0.5)) / 2, within(1e-12));
    assertThat(binary.metrics().accuracy()).isEqualTo(0.5);
    assertThat(binary.metrics().brier()).isEqualTo((1.0 + 0.25) / 2);
    assertThatThrownBy(() -> new SampleWindow(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(SampleWindow.slots(16)).isEqualTo(2);
    assertThat(SampleWindow.slots(17)).isEqualTo(3);
    assertThat(Metrics.names(EvaluationKind.BINARY, false)).containsExactly("logLoss",
        "accuracy", "brier");
    assertThatThrownBy(() -> binary.metrics().value("f1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void totalsWrittenAreTotalsRead() {
    final Random random = new Random(4);
    for (final EvaluationKind kind : EvaluationKind.values()) {
      final Totals totals = new Totals(kind);
      for (int i = 0; i < 100; i++) {
        totals.add(random.nextDouble(), random.nextInt(2));
      }
      final double[] state = new double[Totals.SIZE + 1];
      totals.write(state, 1);
      final Totals read = new Totals(kind);
      read.read(state, 1);
      final Totals copy = totals.copy();
      totals.add(0.3, 1.0);
      read.add(0.3, 1.0);
      copy.add(0.3, 1.0);
      assertThat(read.metrics()).isEqualTo(totals.metrics());
      assertThat(copy.metrics()).isEqualTo(totals.metrics());
      assertThat(read.count()).isEqualTo(101);
    }
  }

  @Test
  void aModelKeepsItsLastDriftsAndStartsItsWindowsAgainOnAReset() {
    final EvaluationSpec spec = new EvaluationSpec(10,
        new DriftSettings("page-hinkley", 0.0, 0.5, 1.0, 1, 30, 3.0, true));
    final ModelEvaluation evaluation = spec.fresh(EvaluationKind.REGRESSION);
    long step = 0;
    int drifts = 0;
    for (int round = 0; round < 100; round++) {
      // a loss far above the mean so far: a drift at each round's second sample
      evaluation.judge(0.0, 0.0, 0.0, ++step);
      if (evaluation.judge(0.0, 1.0, 10.0, ++step)) {
        drifts++;
        evaluation.reset();
      }
      evaluation.served(0.0, 1.0);
    }
    assertThat(drifts).isEqualTo(100);
    assertThat(evaluation.driftCount()).isEqualTo(100);
    assertThat(evaluation.generation()).isEqualTo(100);
    final long[] kept = evaluation.drifts();
    assertThat(kept).hasSize(ModelEvaluation.DRIFTS_KEPT);
    assertThat(kept[kept.length - 1]).isEqualTo(200);
    assertThat(kept[0]).isEqualTo(200 - 2 * (ModelEvaluation.DRIFTS_KEPT - 1));
    // the totals go on; the windows hold what came after the last reset
    assertThat(evaluation.total().count()).isEqualTo(200);
    assertThat(evaluation.window().count()).isZero();
    assertThat(evaluation.servedTotal().count()).isEqualTo(100);
    assertThat(evaluation.servedWindow().count()).isEqualTo(1);
    final ModelEvaluation copy = evaluation.copy();
    evaluation.judge(0.0, 0.0, 0.0, ++step);
    assertThat(copy.total().count()).isEqualTo(200);
    assertThat(copy.drifts()).isEqualTo(kept);
    assertThat(copy.detector().id()).isEqualTo("page-hinkley");
    // no window, no detector
    final ModelEvaluation bare = new EvaluationSpec(0, DriftSettings.none())
        .fresh(EvaluationKind.BINARY);
    assertThat(bare.judge(0.9, 0.0, 5.0, 1)).isFalse();
    assertThat(bare.window()).isNull();
    assertThat(bare.servedWindow()).isNull();
    assertThat(bare.detector()).isNull();
    assertThat(bare.kind()).isEqualTo(EvaluationKind.BINARY);
    bare.reset();
    assertThat(bare.generation()).isEqualTo(1);
  }

  @Test
  void settingsAreCheckedOnce() {
    assertThat(DriftSettings.of("ddm", false).misfit(EvaluationKind.REGRESSION))
        .contains("--loss logistic");
    assertThat(DriftSettings.of("ddm", false).misfit(EvaluationKind.BINARY)).isNull();
    assertThat(DriftSettings.of("page-hinkley", false).misfit(EvaluationKind.REGRESSION))
        .isNull();
    assertThat(DriftSettings.none().newDetector()).isNull();
    assertThat(DriftSettings.of("ddm", true).newDetector()).isInstanceOf(Ddm.class);
    assertThatThrownBy(() -> DriftSettings.of("adwin", false))
        .hasMessageStartingWith("drift must be");
    assertThatThrownBy(() -> new DriftSettings("none", -1, 50, 1, 30, 30, 3, false))
        .hasMessageStartingWith("ph delta");
    assertThatThrownBy(() -> new DriftSettings("none", 0, 0, 1, 30, 30, 3, false))
        .hasMessageStartingWith("ph threshold");
    assertThatThrownBy(() -> new DriftSettings("none", 0, 1, 1.5, 30, 30, 3, false))
        .hasMessageStartingWith("ph alpha");
    assertThatThrownBy(() -> new DriftSettings("none", 0, 1, 0, 30, 30, 3, false))
        .hasMessageStartingWith("ph alpha");
    assertThatThrownBy(() -> new DriftSettings("none", 0, 1, 1, 0, 30, 3, false))
        .hasMessageStartingWith("ph min instances");
    assertThatThrownBy(() -> new DriftSettings("none", 0, 1, 1, 1, 0, 3, false))
        .hasMessageStartingWith("ddm min instances");
    assertThatThrownBy(() -> new DriftSettings("none", 0, 1, 1, 1, 1, 0, false))
        .hasMessageStartingWith("ddm drift level");
    assertThatThrownBy(() -> new EvaluationSpec(-1, DriftSettings.none()))
        .hasMessageStartingWith("eval window");
    assertThatThrownBy(() -> new EvaluationSpec(EvaluationSpec.MAX_WINDOW + 1,
        DriftSettings.none())).hasMessageStartingWith("eval window");
    assertThat(new EvaluationSpec(EvaluationSpec.MAX_WINDOW, DriftSettings.none()).window())
        .isEqualTo(EvaluationSpec.MAX_WINDOW);
    assertThat(EvaluationSpec.defaults().window()).isEqualTo(1000);
  }
}
