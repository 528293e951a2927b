package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LayersTest {
  @Test
  void splitMix64GivesTheReferenceSequence() {
    // the first outputs for seed 0 of Vigna's splitmix64.c
    final SplitMix64 random = new SplitMix64(0L);
    assertThat(random.next()).isEqualTo(0xE220A8397B1DCDAFL);
    assertThat(random.next()).isEqualTo(0x6E789E6AA1B965F4L);
    assertThat(random.next()).isEqualTo(0x06C45D188009454FL);
  }

  @Test
  void glorotStartOfSeed42IsPinned() {
    // computed apart, in Python, from the definition: a = √(6/(fan_in + fan_out)),
    // W = a·(2u − 1), u = (next() >>> 11)·2⁻⁵³, layer by layer, unit by unit, input by input
    final Layers layers = Layers.of(4, new int[] {16, 8});
    final double[] p = layers.glorot(42L);
    assertThat(p).hasSize(16 * 5 + 8 * 17 + 9);
    assertThat(p[0]).isEqualTo(0.2646210664086569);
    assertThat(p[1]).isEqualTo(-0.3725494987887609);
    assertThat(p[2]).isEqualTo(-0.24253031033081718);
    assertThat(p[3]).isEqualTo(-0.17068051845744134);
    assertThat(p[layers.weightsAt(2)]).isEqualTo(-0.1750437665410789);
    assertThat(p[layers.biasesAt(3) - 1]).isEqualTo(0.4406203673560376);
    for (int l = 1; l <= layers.count(); l++) {
      final double a = Math.sqrt(6.0 / (layers.units(l - 1) + layers.units(l)));
      for (int k = layers.weightsAt(l); k < layers.biasesAt(l); k++) {
        assertThat(Math.abs(p[k])).isLessThanOrEqualTo(a);
      }
      for (int j = 0; j < layers.units(l); j++) {
        assertThat(p[layers.biasesAt(l) + j]).as("bias").isZero();
      }
    }
    assertThat(layers.glorot(43L)[0]).isNotEqualTo(p[0]);
  }

  @Test
  void layoutIsRowMajorWeightsThenBiasesPerLayer() {
    final Layers layers = Layers.of(3, new int[] {2});
    assertThat(layers.count()).isEqualTo(2);
    assertThat(layers.weightsAt(1)).isZero();
    assertThat(layers.biasesAt(1)).isEqualTo(6);
    assertThat(layers.weightsAt(2)).isEqualTo(8);
    assertThat(layers.biasesAt(2)).isEqualTo(10);
    assertThat(layers.parameters()).isEqualTo(11);
    assertThat(layers.sizes()).containsExactly(3, 2, 1);
  }

  @Test
  void refusesAnEmptyLayer() {
    assertThatThrownBy(() -> Layers.of(2, new int[] {3, 0}))
        .hasMessageContaining("at least one unit");
  }
}
