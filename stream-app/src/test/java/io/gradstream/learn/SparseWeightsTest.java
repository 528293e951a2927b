package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
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

  @Test
  void storedWeightsComeBackByCoordinateWithTheirState() {
    final SparseWeights w = SparseWeights.of(2, new int[] {40, 3, 17},
        new double[] {0.5, -1.5, 2.5}, new double[] {1, 2, 3, 4, 5, 6});
    assertThat(w.size()).isEqualTo(3);
    assertThat(w.weightAt(3)).isEqualTo(-1.5);
    assertThat(w.state(w.slot(17), 0)).isEqualTo(5);
    assertThat(w.state(w.slot(17), 1)).isEqualTo(6);
    assertThat(w.state(w.slot(40), 1)).isEqualTo(2);
    // by slot, in the order stored, and by coordinate for writing out
    assertThat(Arrays.copyOf(w.coordinatesBySlot(), w.size())).containsExactly(40, 3, 17);
    assertThat(Arrays.copyOf(w.weightsBySlot(), w.size())).containsExactly(0.5, -1.5, 2.5);
    assertThat(Arrays.copyOf(w.statesBySlot(), 6)).containsExactly(1, 2, 3, 4, 5, 6);
    final int[] ordered = w.slotsByCoordinate();
    assertThat(ordered).hasSize(3);
    assertThat(Arrays.stream(ordered).map(w::coordinate).toArray()).containsExactly(3, 17, 40);
    final SparseWeights fresh = w.withFreshState(1);
    assertThat(fresh.stateSlots()).isEqualTo(1);
    assertThat(fresh.weightAt(40)).isEqualTo(0.5);
    assertThat(fresh.state(fresh.slot(40), 0)).isZero();
    assertThat(fresh.statesBySlot()).containsOnly(0.0);
    assertThat(w.state(w.slot(40), 0)).isEqualTo(1); // the original keeps its own
    // many stored coordinates: the table is sized for them
    final int n = 3000;
    final int[] coordinates = new int[n];
    final double[] weights = new double[n];
    for (int c = 0; c < n; c++) {
      coordinates[c] = 7 * c;
      weights[c] = c;
    }
    final SparseWeights many = SparseWeights.of(0, coordinates, weights, new double[0]);
    for (int c = 0; c < n; c++) {
      assertThat(many.weightAt(7 * c)).isEqualTo(c);
    }
    assertThat(many.slot(1)).isEqualTo(-1);
  }

  @Test
  void storedWeightsThatDoNotFitAreRefused() {
    assertThatThrownBy(() -> SparseWeights.of(1, new int[] {1, 2}, new double[] {1},
        new double[] {0, 0})).hasMessage("2 coordinates need as many weights and 1 states each, "
            + "got 1 and 2");
    assertThatThrownBy(() -> SparseWeights.of(1, new int[] {1, 2}, new double[] {1, 2},
        new double[] {0})).hasMessageContaining("got 2 and 1");
    assertThatThrownBy(() -> SparseWeights.of(0, new int[] {5, 5}, new double[] {1, 2},
        new double[0])).hasMessage("coordinate 5 is stored twice");
  }
}
