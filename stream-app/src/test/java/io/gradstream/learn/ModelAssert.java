package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

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
    // the optimizer's state, where the source carries it (a store does, the models' JSON does not)
    if (actual.optimizerState().length > 0) {
      assertThat(bits(actual.optimizerState())).as(what + " optimizer state")
          .isEqualTo(bits(expected.optimizerState()));
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
