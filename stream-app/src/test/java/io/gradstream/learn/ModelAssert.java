package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.features.StandardScaler;
import io.gradstream.learn.features.Welford;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Bit-for-bit comparison of models: the promise every path (stream, replay, HTTP) keeps. */
public final class ModelAssert {
  /** Where the models under test come from: a store, an HTTP API. */
  @FunctionalInterface
  public interface Source {
    Optional<Model> find(String key) throws Exception;
  }

  private ModelAssert() {}

  public static void assertBitIdentical(final String what, final Model actual,
      final Model expected) {
    assertThat(actual).as(what).isNotNull();
    assertThat(actual.count()).as(what + " count").isEqualTo(expected.count());
    assertThat(actual.layers()).as(what + " layers").isEqualTo(expected.layers());
    assertThat(bits(actual.weights())).as(what + " weights").isEqualTo(bits(expected.weights()));
    assertThat(actual.hasBias()).as(what + " has a bias").isEqualTo(expected.hasBias());
    assertThat(Double.doubleToRawLongBits(actual.bias())).as(what + " bias")
        .isEqualTo(Double.doubleToRawLongBits(expected.bias()));
    assertThat(Double.doubleToRawLongBits(actual.lossSum())).as(what + " lossSum")
        .isEqualTo(Double.doubleToRawLongBits(expected.lossSum()));
    assertThat(actual.hashBits()).as(what + " hash bits").isEqualTo(expected.hashBits());
    if (expected.sparse() != null) {
      assertSameSparse(what, actual.sparse(), expected.sparse());
    }
    if (expected.columns() != null) {
      final SparseColumns a = actual.columns();
      final SparseColumns e = expected.columns();
      assertThat(a).as(what + " columns").isNotNull();
      assertThat(a.size()).as(what + " columns touched").isEqualTo(e.size());
      for (int slot = 0; slot < e.size(); slot++) {
        final int at = a.slot(e.coordinate(slot));
        assertThat(at).as(what + " column " + e.coordinate(slot)).isNotNegative();
        for (int j = 0; j < e.width(); j++) {
          assertThat(Double.doubleToRawLongBits(a.value(at, j)))
              .as(what + " column " + e.coordinate(slot) + " unit " + j)
              .isEqualTo(Double.doubleToRawLongBits(e.value(slot, j)));
          for (int k = 0; k < e.stateSlots() && a.stateSlots() > 0; k++) {
            assertThat(Double.doubleToRawLongBits(a.state(at, k, j)))
                .as(what + " column state " + e.coordinate(slot))
                .isEqualTo(Double.doubleToRawLongBits(e.state(slot, k, j)));
          }
        }
      }
    }
    assertThat(actual.scaler() != null).as(what + " scales").isEqualTo(expected.scaler() != null);
    if (expected.scaler() != null) {
      final StandardScaler a = actual.scaler();
      final StandardScaler e = expected.scaler();
      assertThat(a.size()).as(what + " scaled features").isEqualTo(e.size());
      for (int i = 0; i < e.size(); i++) {
        assertThat(a.name(i)).as(what + " scaled feature " + i).isEqualTo(e.name(i));
      }
      assertThat(bits(Arrays.copyOf(a.moments(), Welford.SLOTS * a.size())))
          .as(what + " scaler's moments")
          .isEqualTo(bits(Arrays.copyOf(e.moments(), Welford.SLOTS * e.size())));
    }
    // the optimizer's state, where the source carries it (a store does, the models' JSON does not)
    if (actual.optimizerState().length > 0) {
      assertThat(bits(actual.optimizerState())).as(what + " optimizer state")
          .isEqualTo(bits(expected.optimizerState()));
    }
  }

  /**
   * The same non-zero weights at the same coordinates, and where both carry it (a store does, the
   * models' JSON does not) the same optimizer state.
   */
  private static void assertSameSparse(final String what, final SparseWeights actual,
      final SparseWeights expected) {
    assertThat(actual).as(what + " sparse weights").isNotNull();
    final Map<Integer, Long> a = new TreeMap<>();
    final Map<Integer, Long> e = new TreeMap<>();
    for (int slot = 0; slot < actual.size(); slot++) {
      if (actual.weight(slot) != 0.0) {
        a.put(actual.coordinate(slot), Double.doubleToRawLongBits(actual.weight(slot)));
      }
    }
    for (int slot = 0; slot < expected.size(); slot++) {
      if (expected.weight(slot) != 0.0) {
        e.put(expected.coordinate(slot), Double.doubleToRawLongBits(expected.weight(slot)));
      }
    }
    assertThat(a).as(what + " weights by coordinate").isEqualTo(e);
    if (actual.stateSlots() > 0) {
      assertThat(actual.size()).as(what + " coordinates touched").isEqualTo(expected.size());
      for (int slot = 0; slot < expected.size(); slot++) {
        final int at = actual.slot(expected.coordinate(slot));
        for (int k = 0; k < expected.stateSlots(); k++) {
          assertThat(Double.doubleToRawLongBits(actual.state(at, k)))
              .as(what + " state of " + expected.coordinate(slot))
              .isEqualTo(Double.doubleToRawLongBits(expected.state(slot, k)));
        }
      }
    }
  }

  /** Every expected model is in {@code source}, bit for bit. */
  public static void assertAllBitIdentical(final Source source,
      final Map<String, Model> expected) throws Exception {
    for (final Map.Entry<String, Model> e : expected.entrySet()) {
      final Optional<Model> actual = source.find(e.getKey());
      assertThat(actual).as("model %s", e.getKey()).isPresent();
      assertBitIdentical(e.getKey(), actual.get(), e.getValue());
    }
  }

  private static long[] bits(final double[] values) {
    final long[] bits = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Double.doubleToRawLongBits(values[i]);
    }
    return bits;
  }
}
