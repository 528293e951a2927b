package io.gradstream.learn.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradstream.learn.Loss;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An evaluation as a store keeps it: its totals and windows' heads written and read back, its full
 * segments handed to a store and read from it, a copy, and the settings it follows when they
 * change; each goes on judging exactly as the original.
 */
class EvaluationStateTest {
  private static final EvaluationSpec SPEC = new EvaluationSpec(20,
      new DriftSettings("page-hinkley", 0.0, 0.5, 1.0, 5, 30, 3.0, true));

  /** Samples of a classifier that is right four times in five, served every third. */
  private static void feed(final ModelEvaluation e, final Random random, final int n,
      final long from) {
    for (int i = 0; i < n; i++) {
      final double y = random.nextDouble();
      final double d = random.nextInt(5) == 0 ? (y >= 0.5 ? 0 : 1) : (y >= 0.5 ? 1 : 0);
      e.judge(y, d, -Math.log(Math.abs(1 - d - y) + 1e-9), from + i);
      if (i % 3 == 0) {
        e.served(random.nextDouble(), d);
      }
    }
  }

  private static void assertSame(final ModelEvaluation got, final ModelEvaluation want) {
    assertThat(got.total()).isEqualTo(want.total());
    assertThat(got.servedTotal()).isEqualTo(want.servedTotal());
    assertThat(got.window()).isEqualTo(want.window());
    assertThat(got.servedWindow()).isEqualTo(want.servedWindow());
    assertThat(got.drifts()).containsExactly(want.drifts());
    assertThat(got.generation()).isEqualTo(want.generation());
  }

  @Test
  void aStoredEvaluationGoesOnAsTheOriginal() {
    final ModelEvaluation original = SPEC.fresh(EvaluationKind.BINARY);
    feed(original, new Random(1), 45, 1);
    assertThat(original.window().count()).isEqualTo(20);
    assertThat(original.servedWindow().count()).isEqualTo(15);
    assertThat(original.windowSize()).isEqualTo(20);
    assertThat(original.windowSlots()).isEqualTo(SampleWindow.slots(20)).isEqualTo(3);
    final ModelEvaluation copy = original.copy();
    final double[] totals = original.writeTotals();
    final double[] windows = original.writeWindows();
    assertThat(totals).hasSize(2 * Totals.SIZE);
    // the heads: 45 % 16 = 13 prequential samples and 15 % 16 = 15 served, after two numbers
    assertThat(windows).hasSize(2 + 2 * 13 + 2 + 2 * 15);
    final double[] detector = new double[DriftDetector.STATE];
    original.detector().write(detector, 0);
    final Map<Integer, Segments.Segment> store = new HashMap<>();
    original.release((stream, slot, number, samples) ->
        store.put(stream * 100 + slot, new Segments.Segment(number, samples)));
    assertThat(store).hasSize(2 + 0); // two full prequential segments, none served
    assertThat(original.window()).as("its segments are in the store now").isNull();
    assertThat(original.servedWindow().count()).isEqualTo(15);

    final DriftDetector read = DriftSettings.of("page-hinkley", false).newDetector();
    read.read(detector, 0);
    final ModelEvaluation restored = ModelEvaluation.restore(EvaluationKind.BINARY, 20, totals,
        windows, read, original.generation(), original.driftCount(), original.drifts());
    assertThat(restored.window()).isNull();
    final Segments wrong = (stream, slot) -> {
      final Segments.Segment kept = store.get(stream * 100 + slot);
      return kept == null ? null : new Segments.Segment(kept.number() + 3, kept.samples());
    };
    assertThat(restored.fill(wrong)).isFalse();
    assertThat(restored.fill((stream, slot) -> null)).isFalse();
    assertThat(restored.fill((stream, slot) -> store.get(stream * 100 + slot))).isTrue();
    assertThat(original.fill((stream, slot) -> store.get(stream * 100 + slot))).isTrue();
    assertSame(restored, copy);
    assertSame(original, copy);
    restored.follow(SPEC);

    // the same samples from here: the same metrics, drifts and generations
    final Random a = new Random(2);
    final Random b = new Random(2);
    final Random c = new Random(2);
    for (int round = 0; round < 10; round++) {
      feed(copy, a, 17, 46 + 17 * round);
      feed(restored, b, 17, 46 + 17 * round);
      feed(original, c, 17, 46 + 17 * round);
      assertSame(restored, copy);
      assertSame(original, copy);
    }
    assertThat(copy.driftCount()).isPositive();
  }

  @Test
  void aRestoredEvaluationWithoutItsWindowsStartsThemAgain() {
    final ModelEvaluation original = SPEC.fresh(EvaluationKind.REGRESSION);
    feed(original, new Random(3), 37, 1);
    final ModelEvaluation restored = ModelEvaluation.restore(EvaluationKind.REGRESSION, 20,
        original.writeTotals(), null, null, 0, 0, new long[0]);
    assertThat(restored.window().count()).isZero();
    assertThat(restored.total()).isEqualTo(original.total());
    restored.judge(1, 2, 0.5, 38);
    restored.judge(2, 2, 0, 39);
    assertThat(restored.window().count()).isEqualTo(2);
    assertThat(restored.window().mae()).isEqualTo(0.5);
    assertThat(restored.detector()).isNull();
    // its served window starts again too, numbered on from the served samples
    assertThat(restored.servedWindow().count()).isZero();
    restored.served(3, 2);
    assertThat(restored.servedWindow().count()).isEqualTo(1);
    assertThat(restored.servedTotal().count()).isEqualTo(original.servedTotal().count() + 1);
    // at most the last 64 drifts are kept
    final long[] many = new long[70];
    for (int i = 0; i < many.length; i++) {
      many[i] = 10L * i;
    }
    final ModelEvaluation kept = ModelEvaluation.restore(EvaluationKind.REGRESSION, 0,
        original.writeTotals(), new double[0], null, 3, 70, many);
    assertThat(kept.drifts()).hasSize(ModelEvaluation.DRIFTS_KEPT).startsWith(60L)
        .endsWith(690L);
    assertThat(kept.driftCount()).isEqualTo(70);
    assertThat(kept.generation()).isEqualTo(3);
    assertThat(kept.window()).isNull();
    assertThat(kept.windowSlots()).isZero();
    assertThat(kept.writeWindows()).isEmpty();
    assertThat(ModelEvaluation.restore(EvaluationKind.REGRESSION, 0, original.writeTotals(),
        null, null, 0, 0, new long[0]).window()).isNull();
  }

  @Test
  void bothWindowsHandTheirFullSegmentsToTheStore() {
    final ModelEvaluation e = SPEC.fresh(EvaluationKind.REGRESSION);
    for (int i = 0; i < 40; i++) {
      e.judge(i, i + 1, 0.5, i + 1);
      e.served(i, i + 2);
    }
    final Map<Integer, Long> numbers = new HashMap<>();
    e.release((stream, slot, number, samples) -> {
      numbers.put(stream * 100 + slot, number);
      assertThat(samples[0]).isEqualTo(16.0 * number);
      assertThat(samples[1]).isEqualTo(16.0 * number + 1 + stream);
    });
    assertThat(numbers).containsOnlyKeys(0, 1, 100, 101).containsEntry(101, 1L);
  }

  @Test
  void newSettingsAreFollowedOnce() {
    final ModelEvaluation e = SPEC.fresh(EvaluationKind.BINARY);
    feed(e, new Random(4), 30, 1);
    final double[] before = new double[DriftDetector.STATE];
    e.detector().write(before, 0);
    e.follow(SPEC);
    assertThat(e.window().count()).as("the same settings change nothing").isEqualTo(20);
    // another W: the windows start again, numbered on; the same detector keeps its state
    final EvaluationSpec smaller = new EvaluationSpec(10,
        new DriftSettings("page-hinkley", 0.0, 5.0, 1.0, 5, 30, 3.0, true));
    e.follow(smaller);
    assertThat(e.writeWindows()[0]).as("numbered on from the 31st sample").isEqualTo(30);
    assertThat(e.window().count()).isZero();
    assertThat(e.servedWindow().count()).isZero();
    assertThat(e.windowSize()).isEqualTo(10);
    final double[] after = new double[DriftDetector.STATE];
    e.detector().write(after, 0);
    assertThat(after).containsExactly(before);
    feed(e, new Random(5), 12, 31);
    assertThat(e.window().count()).isEqualTo(10);
    assertThat(e.servedWindow().count()).isEqualTo(4);
    // another detector starts from nothing; no window, none
    e.follow(new EvaluationSpec(0, DriftSettings.of("ddm", false)));
    assertThat(e.detector().id()).isEqualTo("ddm");
    e.detector().write(after, 0);
    assertThat(after[0]).as("its n").isZero();
    assertThat(e.window()).isNull();
    assertThat(e.windowSize()).isZero();
    // a window again: it starts at the next sample
    e.follow(new EvaluationSpec(5, DriftSettings.none()));
    assertThat(e.detector()).isNull();
    feed(e, new Random(6), 3, 43);
    assertThat(e.window().count()).isEqualTo(3);
    assertThat(e.total().count()).isEqualTo(45);
  }

  @Test
  void ddmReadsEachSampleAsRightOrWrong() {
    final ModelEvaluation e = new EvaluationSpec(0, DriftSettings.of("ddm", false))
        .fresh(EvaluationKind.BINARY);
    long step = 0;
    for (int i = 0; i < 200; i++) {
      // right: y on the side of d, with a loss that would look bad to a loss detector
      assertThat(e.judge(i % 2 == 0 ? 0.9 : 0.1, i % 2 == 0 ? 1 : 0, 50.0, ++step)).isFalse();
    }
    long drift = -1;
    for (int i = 0; i < 100 && drift < 0; i++) {
      if (e.judge(0.9, 0, 0.0, ++step)) {
        drift = step;
      }
    }
    assertThat(drift).isBetween(201L, 230L);
    assertThat(e.drifts()).containsExactly(drift);
  }

  @Test
  void kindsAndNames() {
    assertThat(EvaluationKind.of(Loss.LOGISTIC)).isEqualTo(EvaluationKind.BINARY);
    assertThat(EvaluationKind.of(Loss.SQUARED)).isEqualTo(EvaluationKind.REGRESSION);
    assertThat(EvaluationKind.of(Loss.of("huber", 1.0))).isEqualTo(EvaluationKind.REGRESSION);
    assertThat(EvaluationKind.ofLoss("logistic")).isEqualTo(EvaluationKind.BINARY);
    assertThat(EvaluationKind.ofLoss("huber")).isEqualTo(EvaluationKind.REGRESSION);
    assertThat(EvaluationKind.ofLoss(null)).isEqualTo(EvaluationKind.REGRESSION);
    final Metrics regression = Metrics.regression(3, 0.25, 0.5, 0.75);
    assertThat(regression.value("mae")).isEqualTo(0.25);
    assertThat(regression.value("rmse")).isEqualTo(0.5);
    assertThat(regression.value("r2")).isEqualTo(0.75);
    assertThat(regression.value("logLoss")).isNaN();
    final Metrics binary = Metrics.binary(4, 0.1, 0.2, 0.3, 0.4);
    assertThat(binary.value("logLoss")).isEqualTo(0.1);
    assertThat(binary.value("accuracy")).isEqualTo(0.2);
    assertThat(binary.value("brier")).isEqualTo(0.3);
    assertThat(binary.value("auc")).isEqualTo(0.4);
    assertThat(binary.value("mae")).isNaN();
    assertThatThrownBy(() -> binary.value("f1")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Metrics.names(EvaluationKind.REGRESSION, true)).containsExactly("mae", "rmse",
        "r2");
    assertThat(Metrics.names(EvaluationKind.BINARY, true)).containsExactly("logLoss",
        "accuracy", "brier", "auc");
  }

  @Test
  void anEvaluationNeverServedStoresAFreshServedPartAndGoesOnAsOneThatWas() {
    final ModelEvaluation never = SPEC.fresh(EvaluationKind.BINARY);
    final Random random = new Random(4);
    for (int i = 0; i < 21; i++) {
      never.judge(random.nextDouble(), random.nextInt(2), 0.5, i + 1);
    }
    never.reset();
    never.release((stream, slot, number, samples) -> assertThat(stream).isZero());
    final double[] totals = never.writeTotals();
    assertThat(Arrays.copyOfRange(totals, Totals.SIZE, 2 * Totals.SIZE))
        .as("a fresh served total: count and sums 0").containsOnly(0.0);
    final double[] windows = never.writeWindows();
    // the prequential window: its next and first sample, and 21 % 16 = 5 samples of its head
    assertThat(windows).hasSize(2 + 2 * 5 + 2);
    assertThat(Arrays.copyOfRange(windows, 12, 14)).as("a fresh served window").containsOnly(0.0);
    assertThat(never.servedTotal()).isEqualTo(SPEC.fresh(EvaluationKind.BINARY).servedTotal());
    assertThat(never.servedWindow().count()).isZero();

    final double[] detector = new double[DriftDetector.STATE];
    never.detector().write(detector, 0);
    final DriftDetector read = SPEC.drift().newDetector();
    read.read(detector, 0);
    final ModelEvaluation restored = ModelEvaluation.restore(EvaluationKind.BINARY, 20, totals,
        windows, read, never.generation(), never.driftCount(), never.drifts());
    assertThat(restored.heapBytes()).as("no served part made").isEqualTo(never.heapBytes());
    assertThat(restored.writeWindows()).containsExactly(windows);
    assertThat(restored.fill((stream, slot) -> null)).as("nothing to read: no served window")
        .isTrue();
    final ModelEvaluation copy = never.copy();
    for (final ModelEvaluation e : List.of(never, restored, copy)) {
      e.served(0.25, 1);
      e.served(0.75, 1);
      e.reset();
      e.served(0.5, 0);
    }
    assertThat(restored.servedWindow()).isEqualTo(never.servedWindow());
    assertThat(copy.servedWindow()).isEqualTo(never.servedWindow());
    assertThat(never.servedWindow().count()).as("restarted after two").isEqualTo(1);
    assertThat(restored.servedTotal()).isEqualTo(never.servedTotal());
    assertThat(never.servedTotal().count()).isEqualTo(3);
    assertThat(restored.writeTotals()).containsExactly(never.writeTotals());
    assertThat(restored.writeWindows()).containsExactly(never.writeWindows());
  }

  @Test
  void aRestoredServedWindowFillsItsFullSegmentsFromTheStore() {
    final ModelEvaluation original = SPEC.fresh(EvaluationKind.BINARY);
    final Random random = new Random(6);
    for (int i = 0; i < 40; i++) {
      original.served(random.nextDouble(), random.nextInt(2));
    }
    final Map<Integer, Segments.Segment> store = new HashMap<>();
    original.release((stream, slot, number, samples) ->
        store.put(stream * 100 + slot, new Segments.Segment(number, samples)));
    assertThat(store.keySet()).as("two full served segments").containsOnly(100, 101);
    final ModelEvaluation restored = ModelEvaluation.restore(EvaluationKind.BINARY, 20,
        original.writeTotals(), original.writeWindows(), null, 0, 0, new long[0]);
    assertThat(restored.servedWindow()).as("a segment not yet read").isNull();
    assertThat(restored.fill((stream, slot) -> store.get(stream * 100 + slot))).isTrue();
    assertThat(original.fill((stream, slot) -> store.get(stream * 100 + slot))).isTrue();
    assertThat(restored.servedWindow()).isEqualTo(original.servedWindow());
    assertThat(restored.servedWindow().count()).isEqualTo(20);
  }
}
