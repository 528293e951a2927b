package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The K-class output against torch's float64 softmax, cross_entropy and autograd
 * (softmax-torch.json, written by src/test/python/softmax_reference.py), scores up to ±1000
 * included; its slope against finite differences of its loss; and by hand.
 */
class SoftmaxTest {
  private static double close(final double expected) {
    return 1e-12 * Math.max(1.0, Math.abs(expected));
  }

  @Test
  void asTorchComputesIt() throws Exception {
    final JsonNode cases;
    try (InputStream in = SoftmaxTest.class.getResourceAsStream("/softmax-torch.json")) {
      cases = new ObjectMapper().readTree(in).get("cases");
    }
    assertThat(cases.size()).isEqualTo(48);
    for (final JsonNode c : cases) {
      final int k = c.get("z").size();
      final double[] z = new double[k + 2]; // longer arrays: only the first k count
      for (int j = 0; j < k; j++) {
        z[j] = c.get("z").get(j).asDouble();
      }
      z[k] = 1e6;
      final int d = c.get("d").asInt();
      final double[] p = new double[k + 2];
      final double[] slope = new double[k + 2];
      final double lse = Softmax.probabilities(z, k, p);
      Softmax.slope(p, k, d, slope);
      final double loss = Softmax.crossEntropy(z, lse, d);
      assertThat(loss).as("loss of %s", c).isCloseTo(c.get("loss").asDouble(),
          within(close(c.get("loss").asDouble())));
      for (int j = 0; j < k; j++) {
        assertThat(p[j]).isCloseTo(c.get("p").get(j).asDouble(), within(1e-12));
        assertThat(slope[j]).isCloseTo(c.get("gradient").get(j).asDouble(), within(1e-12));
      }
      assertThat(p[k]).as("beyond k, untouched").isZero();
      assertThat(slope[k]).isZero();
    }
  }

  @Test
  void itsSlopeIsTheLossesDerivative() {
    final Random random = new Random(7);
    for (int round = 0; round < 50; round++) {
      final int k = 2 + random.nextInt(8);
      final double[] z = new double[k];
      for (int j = 0; j < k; j++) {
        z[j] = 3 * random.nextGaussian();
      }
      final int d = random.nextInt(k);
      final double[] p = new double[k];
      final double[] slope = new double[k];
      Softmax.probabilities(z, k, p);
      Softmax.slope(p, k, d, slope);
      final double h = 1e-6;
      final double[] shifted = new double[k];
      for (int j = 0; j < k; j++) {
        z[j] += h;
        final double up = Softmax.crossEntropy(z, Softmax.probabilities(z, k, shifted), d);
        z[j] -= 2 * h;
        final double down = Softmax.crossEntropy(z, Softmax.probabilities(z, k, shifted), d);
        z[j] += h;
        assertThat(slope[j]).isCloseTo((up - down) / (2 * h), within(1e-7));
      }
      double sum = 0;
      for (final double q : p) {
        sum += q;
      }
      assertThat(sum).isCloseTo(1.0, within(1e-15));
    }
  }

  @Test
  void byHand() {
    // two equal scores: p = (½, ½), L = ln 2, slope (−½, ½) for d = 0
    final double[] p = new double[2];
    final double[] slope = new double[2];
    final double lse = Softmax.probabilities(new double[] {0.0, 0.0}, 2, p);
    assertThat(lse).isCloseTo(Math.log(2), within(1e-15));
    assertThat(p).containsExactly(0.5, 0.5);
    Softmax.slope(p, 2, 0, slope);
    assertThat(slope).containsExactly(-0.5, 0.5);
    assertThat(Softmax.crossEntropy(new double[] {0.0, 0.0}, lse, 1)).isEqualTo(Math.log(2));
    // z = (ln 1, ln 3): p = (¼, ¾), L of class 0 = ln 4; scores shifted by 1000 alike
    final double[] q = new double[2];
    final double[] z = {1000.0, 1000.0 + Math.log(3)};
    final double l = Softmax.probabilities(z, 2, q);
    // (1000 + ln 3 is itself rounded to 1e-13)
    assertThat(q[0]).isCloseTo(0.25, within(1e-12));
    assertThat(q[1]).isCloseTo(0.75, within(1e-12));
    assertThat(Softmax.crossEntropy(z, l, 0)).isCloseTo(Math.log(4), within(1e-12));
    assertThat(Softmax.argmax(q, 2)).isEqualTo(1);
    assertThat(Softmax.argmax(new double[] {0.2, 0.5, 0.3}, 3)).isEqualTo(1);
    assertThat(Softmax.argmax(new double[] {0.4, 0.2, 0.4}, 3)).as("the first of equals")
        .isZero();
    assertThat(Softmax.argmax(new double[] {0.1, 0.2, 0.7}, 2)).as("of the first k").isEqualTo(1);
  }
}
