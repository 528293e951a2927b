package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The cleanup of pending predictions, in passes of a bounded number of entries. */
class PendingStoreTest {
  private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

  private final PendingStoreTestAccess access = new PendingStoreTestAccess();
  private final PendingStore store = access.store;

  private void put(final String id, final long time) {
    store.put(KEY, "k", id, new double[] {1}, null, 0.5, 0, time);
  }

  private boolean has(final String id) {
    return store.get(KEY, "k", id) != null;
  }

  @Test
  void removesWhatIsOlderThanTheHorizonInPassesOfAtMostMaxEntries() {
    for (int i = 0; i < 10; i++) {
      put("p" + i, 100L * i);
    }
    // 0..400 are older than 450; one entry looked at per call
    int removed = 0;
    for (int call = 0; call < 10; call++) {
      removed += store.sweep(450, 1);
    }
    assertThat(removed).isEqualTo(5);
    assertThat(access.values).hasSize(5);
    assertThat(has("p4")).isFalse();
    assertThat(has("p5")).isTrue();
  }

  @Test
  void anEntryPutAfterAWholePassIsStillRemovedWhenItsTimeComes() {
    put("a", 1000);
    put("b", 2000);
    assertThat(store.sweep(500, 100)).isZero(); // a whole pass: nothing is older than 1000
    put("late", 10);                             // older than anything seen in the pass
    assertThat(store.sweep(600, 100)).isEqualTo(1);
    assertThat(has("late")).isFalse();
    assertThat(store.sweep(1500, 100)).isEqualTo(1);
    assertThat(has("a")).isFalse();
    assertThat(has("b")).isTrue();
  }

  @Test
  void aPassInSeveralCallsKnowsItsOldestOnlyWhenItHasSeenEveryEntry() {
    put("a", 1000);
    put("b", 3000);
    put("c", 2000);
    assertThat(store.sweep(500, 2)).isZero(); // part of a pass
    assertThat(store.sweep(500, 2)).isZero(); // the rest: the oldest kept is 1000
    assertThat(store.sweep(2500, 1) + store.sweep(2500, 1) + store.sweep(2500, 1)
        + store.sweep(2500, 1)).isEqualTo(2);
    assertThat(has("b")).isTrue();
  }
}
