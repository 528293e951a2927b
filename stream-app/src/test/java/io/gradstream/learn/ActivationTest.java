package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ActivationTest {
  /** A spread of nets from deep saturation to the origin, avoiding relu's kink at exactly 0. */
  private static final double[] NETS = {
      -30, -8, -3.5, -1, -0.25, -1e-3, 1e-3, 0.1, 0.5, 1, 2.75, 6, 30};

  @ParameterizedTest
  @EnumSource(Activation.class)
  void derivativeMatchesCentralFiniteDifference(final Activation f) {
    final double h = 1e-6;
    for (final double net : NETS) {
      final double numeric = (f.value(net + h) - f.value(net - h)) / (2 * h);
      assertThat(f.derivative(net)).as("%s'(%s)", f.id(), net)
          .isCloseTo(numeric, within(1e-8 * Math.max(1.0, Math.abs(numeric))));
    }
  }

  @Test
  void valuesAtKnownPoints() {
    assertThat(Activation.SIGMOID.value(0)).isEqualTo(0.5);
    assertThat(Activation.SIGMOID.value(2)).isCloseTo(1 / (1 + Math.exp(-2)), within(1e-16));
    assertThat(Activation.TANH.value(0.5)).isCloseTo(0.46211715726000974, within(1e-16));
    assertThat(Activation.RELU.value(-3)).isEqualTo(0.0);
    assertThat(Activation.RELU.value(3)).isEqualTo(3.0);
    assertThat(Activation.LEAKY_RELU.value(-3)).isEqualTo(-0.03);
    assertThat(Activation.IDENTITY.value(-3)).isEqualTo(-3.0);
  }

  @Test
  void slopesAtZeroFollowTheProductRules() {
    assertThat(Activation.RELU.derivative(0.0)).isEqualTo(0.0);
    assertThat(Activation.LEAKY_RELU.derivative(0.0)).isEqualTo(0.01);
    assertThat(Activation.LEAKY_RELU.derivative(-5.0)).isEqualTo(0.01);
    assertThat(Activation.SIGMOID.derivative(0.0)).isEqualTo(0.25);
    assertThat(Activation.TANH.derivative(0.0)).isEqualTo(1.0);
  }

  @Test
  void namesRoundTripAndUnknownNamesAreRefused() {
    for (final Activation f : Activation.values()) {
      assertThat(Activation.fromId(f.id())).isSameAs(f);
    }
    assertThat(Activation.LEAKY_RELU.id()).isEqualTo("leaky_relu");
    assertThatThrownBy(() -> Activation.fromId("softmax"))
        .hasMessageContaining("unknown activation 'softmax'")
        .hasMessageContaining("leaky_relu");
  }
}
