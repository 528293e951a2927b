package io.gradstream.learn.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What an evaluation holds on the heap, as the model store counts it, worked by hand from a
 * 64-bit JVM's layout with compressed references: the evaluation 64 bytes, each totals 56, each
 * window 48, an array 16 and its contents, a detector 88. The served samples' totals and window
 * are made by the first served sample.
 */
class EvaluationHeapTest {
  private static final int HEAD = 16 + 8 * 2 * SampleWindow.SEGMENT;

  @Test
  void itHoldsItsObjectsAndEachHeadOnceMade() {
    final ModelEvaluation e = new EvaluationSpec(1000, DriftSettings.none())
        .fresh(EvaluationKind.BINARY);
    final int bare = 64 + 56 + 48;
    assertThat(e.heapBytes()).isEqualTo(bare);
    e.judge(0.7, 1, 0.3, 1);
    assertThat(e.heapBytes()).as("the prequential head").isEqualTo(bare + HEAD);
    e.served(0.4, 1);
    assertThat(e.heapBytes()).as("the served totals, window and head")
        .isEqualTo(bare + HEAD + 56 + 48 + HEAD);
    e.served(0.6, 0);
    assertThat(e.heapBytes()).isEqualTo(bare + HEAD + 56 + 48 + HEAD);
  }

  @Test
  void fullSegmentsCountUntilReleased() {
    final ModelEvaluation e = new EvaluationSpec(1000, DriftSettings.none())
        .fresh(EvaluationKind.REGRESSION);
    for (int i = 0; i < 2 * SampleWindow.SEGMENT; i++) {
      e.judge(i, i + 1, 0.5, i + 1);
    }
    final int slots = SampleWindow.slots(1000);
    final int bare = 64 + 56 + 48;
    // the ring: its references (4 bytes a slot) and numbers (8), and two full segments
    assertThat(e.heapBytes()).isEqualTo(bare + HEAD + 2 * 16 + 12 * slots + 2 * HEAD);
    e.release((stream, slot, number, samples) -> { });
    assertThat(e.heapBytes()).isEqualTo(bare + HEAD);
  }

  @Test
  void aDetectorAndTheDriftsItSignalled() {
    final ModelEvaluation e = new EvaluationSpec(0,
        new DriftSettings("page-hinkley", 0.0, 0.5, 1.0, 5, 30, 3.0, false))
        .fresh(EvaluationKind.REGRESSION);
    final int bare = 64 + 56 + 88;
    assertThat(e.heapBytes()).as("no windows").isEqualTo(bare);
    int drifts = 0;
    for (int i = 0; i < 400; i++) {
      final boolean high = i / 50 % 2 == 1; // the loss jumps up every other 50 samples
      if (e.judge(0, high ? 10 : 0, high ? 100 : 0, i + 1)) {
        drifts++;
      }
    }
    assertThat(drifts).isGreaterThan(1);
    assertThat(e.heapBytes()).isEqualTo(bare + 16 + 8 * drifts);
  }

  @Test
  void aRestoredWindowMakesAHeadOnlyForTheSamplesItHolds() {
    final ModelEvaluation e = new EvaluationSpec(1000, DriftSettings.none())
        .fresh(EvaluationKind.REGRESSION);
    for (int i = 0; i < SampleWindow.SEGMENT; i++) {
      e.judge(i, i + 1, 0.5, i + 1);
    }
    final ModelEvaluation none = ModelEvaluation.restore(EvaluationKind.REGRESSION, 1000,
        e.writeTotals(), e.writeWindows(), null, 0, 0, new long[0]);
    assertThat(none.heapBytes()).as("a full head went to its segment").isEqualTo(64 + 56 + 48);
    e.judge(1, 1, 0.5, 17);
    final ModelEvaluation one = ModelEvaluation.restore(EvaluationKind.REGRESSION, 1000,
        e.writeTotals(), e.writeWindows(), null, 0, 0, new long[0]);
    assertThat(one.heapBytes()).isEqualTo(64 + 56 + 48 + HEAD);
  }
}
