package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The coordinate table against a HashMap of the same coordinates, through its growth. */
class SparseWeightsTest {
  @Test
  void everyCoordinateFindsItsSlotAndOnlyTouchedOnesHaveOne() {
    final SparseWeights w = new SparseWeights(2);
    final Map<Integer, Integer> reference = new HashMap<>();
    final Random random = new Random(1);
    for (int n = 0; n < 5000; n++) {
      final int c = random.nextInt(1 << 24);
      final int slot = w.slotOrAdd(c);
      reference.putIfAbsent(c, reference.size());
      assertThat(slot).isEqualTo(reference.get(c));
      w.setWeight(slot, c * 0.5);
      w.setState(slot, 1, -c);
    }
    assertThat(w.size()).isEqualTo(reference.size());
    reference.forEach((c, slot) -> {
      assertThat(w.slot(c)).isEqualTo(slot);
      assertThat(w.coordinate(slot)).isEqualTo(c);
      assertThat(w.weightAt(c)).isEqualTo(c * 0.5);
      assertThat(w.state(slot, 1)).isEqualTo(-c);
      assertThat(w.state(slot, 0)).isZero();
    });
    for (int n = 0; n < 1000; n++) {
      final int c = random.nextInt(1 << 24);
      if (!reference.containsKey(c)) {
        assertThat(w.slot(c)).isEqualTo(-1);
        assertThat(w.weightAt(c)).isZero();
      }
    }
    assertThat(w.stateSlots()).isEqualTo(2);
  }

  @Test
  void aCopySteppedApartLeavesTheOriginal() {
    final SparseWeights w = new SparseWeights(1);
    w.setWeight(w.slotOrAdd(7), 1.5);
    final SparseWeights c = w.copy();
    c.setWeight(c.slotOrAdd(7), 2.5);
    c.setWeight(c.slotOrAdd(9), 3.0);
    c.setState(c.slot(7), 0, 4.0);
    assertThat(w.weightAt(7)).isEqualTo(1.5);
    assertThat(w.slot(9)).isEqualTo(-1);
    assertThat(w.state(w.slot(7), 0)).isZero();
    assertThat(c.weightAt(7)).isEqualTo(2.5);
    assertThat(c.size()).isEqualTo(2);
    assertThat(w.size()).isEqualTo(1);
  }
}
