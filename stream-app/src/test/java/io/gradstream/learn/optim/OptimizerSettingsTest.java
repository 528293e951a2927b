package io.gradstream.learn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What each optimizer takes, at the edges of each range, and what it refuses. */
class OptimizerSettingsTest {
  private static OptimizerSettings of(final String name, final Double momentum,
      final Double beta1, final Double epsilon, final Double weightDecay, final Double ftrlBeta,
      final Double l1) {
    return new OptimizerSettings(OptimizerKind.named(name), momentum, beta1, null, epsilon, null,
        weightDecay, ftrlBeta, l1, null, LrSchedule.CONSTANT, null, 0);
  }

  @Test
  void aHyperparameterTheOptimizerDoesNotUseIsRefusedNotIgnored() {
    assertThatThrownBy(() -> of("adam", 0.9, null, null, null, null, null))
        .hasMessage("momentum does not apply to adam (it is a setting of momentum, nesterov)");
    assertThatThrownBy(() -> of("sgd", null, 0.9, null, null, null, null))
        .hasMessageStartingWith("beta1 does not apply to sgd");
    assertThatThrownBy(() -> of("sgd", null, null, 1e-8, null, null, null))
        .hasMessageStartingWith("epsilon does not apply to sgd");
    assertThatThrownBy(() -> of("ftrl", null, null, null, 0.1, null, null))
        .hasMessageStartingWith("weight decay does not apply to ftrl");
    assertThatThrownBy(() -> of("adam", null, null, null, null, 1.0, null))
        .hasMessageStartingWith("ftrl beta does not apply to adam");
    assertThatThrownBy(() -> of("rmsprop", null, null, null, null, null, 0.1))
        .hasMessageStartingWith("l1 does not apply to rmsprop");
    assertThatThrownBy(
            () ->
                new OptimizerSettings(OptimizerKind.ADAGRAD, null, null, null, null, 0.9, null,
                    null, null, 0.1, LrSchedule.CONSTANT, null, 0))
        .hasMessageStartingWith("rmsprop alpha does not");
  }

  @Test
  void rangesAreCheckedAtTheirEdges() {
    // open at 0: epsilon, FTRL's β; closed at 0: decay, l1, momentum, β1
    assertThatThrownBy(() -> of("adam", null, null, 0.0, null, null, null))
        .hasMessage("epsilon must be a finite number above 0, got 0.0");
    assertThat(of("adam", null, null, Double.MIN_VALUE, null, null, null).epsilon())
        .isEqualTo(Double.MIN_VALUE);
    assertThatThrownBy(() -> of("ftrl", null, null, null, null, 0.0, null))
        .hasMessage("ftrl beta must be a finite number above 0, got 0.0");
    assertThat(of("sgd", null, null, null, 0.0, null, null).weightDecay()).isZero();
    assertThat(of("ftrl", null, null, null, null, null, 0.0).l1()).isZero();
    // closed at the top of the doubles: the largest finite value is a value
    assertThat(of("ftrl", null, null, null, null, null, Double.MAX_VALUE).l1())
        .isEqualTo(Double.MAX_VALUE);
    assertThat(of("momentum", 0.0, null, null, null, null, null).momentum()).isZero();
    assertThat(of("adam", null, 0.0, null, null, null, null).beta1()).isZero();
    // open at 1: momentum and the β's
    assertThatThrownBy(() -> of("adam", null, 1.0, null, null, null, null))
        .hasMessage("beta1 must be in [0, 1), got 1.0");
    assertThat(of("adam", null, Math.nextDown(1.0), null, null, null, null).beta1())
        .isEqualTo(Math.nextDown(1.0));
    assertThatThrownBy(() -> of("momentum", -0.1, null, null, null, null, null))
        .hasMessage("momentum must be in [0, 1), got -0.1");
    assertThatThrownBy(() -> of("sgd", null, null, null, Double.POSITIVE_INFINITY, null, null))
        .hasMessage("weight decay must be a finite number of at least 0, got Infinity");
    assertThatThrownBy(
            () ->
                new OptimizerSettings(OptimizerKind.SGD, null, null, null, null, null, null, null,
                    null, null, LrSchedule.CONSTANT, null, -1))
        .hasMessageStartingWith("clip norm must be");
  }

  @Test
  void defaultsFollowTorch() {
    final OptimizerSettings adam = of("adam", null, null, null, null, null, null);
    assertThat(adam.beta1()).isEqualTo(0.9);
    assertThat(adam.beta2()).isEqualTo(0.999);
    assertThat(adam.epsilon()).isEqualTo(1e-8);
    assertThat(adam.weightDecay()).isZero();
    assertThat(of("adamw", null, null, null, null, null, null).weightDecay()).isEqualTo(0.01);
    assertThat(of("adagrad", null, null, null, null, null, null).epsilon()).isEqualTo(1e-10);
    assertThat(of("momentum", null, null, null, null, null, null).momentum()).isEqualTo(0.9);
    assertThat(of("ftrl", null, null, null, null, null, null).ftrlBeta()).isEqualTo(1.0);
    assertThat(OptimizerSettings.sgd().plain()).isTrue();
    assertThat(of("sgd", null, null, null, 0.1, null, null).plain()).isFalse();
    assertThat(of("adam", null, null, null, null, null, null).stateSize(4)).isEqualTo(9);
    assertThat(OptimizerSettings.sgd().stateSize(4)).isZero();
  }
}
