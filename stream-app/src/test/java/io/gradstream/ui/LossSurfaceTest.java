package io.gradstream.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Loss;
import org.junit.jupiter.api.Test;

class LossSurfaceTest {
  @Test
  void everyGridPointIsTheMeanLossOfTheWindowWrittenOutByHand() {
    // a neuron w·x + b, identity, squared loss: L = ½(d − w·x − b)², over two events
    final double[][] events = {{1.0, 0.5}, {-2.0, 1.5}};
    final double[][] path = {{0.0, 0.0}, {0.3, -0.2}, {0.6, 0.1}};
    final LossSurface.Grid g = LossSurface.of(path, events, true, Activation.IDENTITY,
        Loss.SQUARED);
    assertThat(g.events()).isEqualTo(2);
    assertThat(g.p1()).hasSize(LossSurface.SIDE);
    for (int j = 0; j < LossSurface.SIDE; j++) {
      for (int i = 0; i < LossSurface.SIDE; i++) {
        final double w = g.p1()[i];
        final double b = g.p2()[j];
        final double l1 = 0.5 * Math.pow(0.5 - (w * 1.0 + b), 2);
        final double l2 = 0.5 * Math.pow(1.5 - (w * -2.0 + b), 2);
        assertThat(g.loss()[j][i]).isCloseTo((l1 + l2) / 2, within(1e-12));
      }
    }
    // the axes span the path, the origin, and a margin around them
    assertThat(g.p1()[0]).isLessThan(0);
    assertThat(g.p1()[LossSurface.SIDE - 1]).isGreaterThan(0.6);
    assertThat(g.p2()[0]).isLessThan(-0.2);
    assertThat(g.p2()[LossSurface.SIDE - 1]).isGreaterThan(0.1);
  }

  @Test
  void twoWeightsWithoutABiasAndASigmoidTakeTheSecondFeature() {
    final double[][] events = {{1.0, 2.0, 0.25}};
    final LossSurface.Grid g = LossSurface.of(new double[][] {{1, 1}}, events, false,
        Activation.SIGMOID, Loss.SQUARED);
    final int i = 7;
    final int j = 30;
    final double net = g.p1()[i] * 1.0 + g.p2()[j] * 2.0;
    final double y = 1 / (1 + Math.exp(-net));
    assertThat(g.loss()[j][i]).isCloseTo(0.5 * (0.25 - y) * (0.25 - y), within(1e-12));
  }

  @Test
  void onlyTheMostRecentWindowOfEventsCounts() {
    final double[][] events = new double[LossSurface.WINDOW + 10][];
    for (int k = 0; k < events.length; k++) {
      // the ten oldest events would pull the loss far up
      events[k] = new double[] {1.0, k < 10 ? 1000.0 : 0.0};
    }
    final LossSurface.Grid g = LossSurface.of(new double[][] {{0, 0}}, events, true,
        Activation.IDENTITY, Loss.SQUARED);
    assertThat(g.events()).isEqualTo(LossSurface.WINDOW);
    final double w = g.p1()[3];
    final double b = g.p2()[5];
    assertThat(g.loss()[5][3]).isCloseTo(0.5 * (w + b) * (w + b), within(1e-12));
  }
}
