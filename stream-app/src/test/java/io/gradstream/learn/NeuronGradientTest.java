package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The backward pass against an independent computation: central finite differences of the loss
 * L(w, b) = ½(d − f(w·x + b))², evaluated here from the activation's value alone.
 */
class NeuronGradientTest {
  private static final double H = 1e-6;

  @ParameterizedTest
  @EnumSource(Activation.class)
  void gradientMatchesFiniteDifferencesOfTheLoss(final Activation f) {
    final Random random = new Random(42 + f.ordinal());
    for (int trial = 0; trial < 200; trial++) {
      final int n = 1 + random.nextInt(10);
      final double[] w = gaussian(random, n, 0.5);
      final double b = random.nextGaussian() * 0.5;
      final double[] x = gaussian(random, n, 1.0);
      final double d = random.nextGaussian();
      if (Math.abs(net(w, b, x)) < 1e-3) {
        continue; // relu's kink: no derivative to compare with
      }
      final ModelSpec spec = new ModelSpec(n, true, f, 0.1, w, b);
      final Model model = Model.initial(spec);
      final StepResult step = new StepResult();
      assertThat(new Neuron(spec).learn(model, x, d, step)).isEqualTo(Verdict.TRAINED);

      for (int i = 0; i < n; i++) {
        final double[] plus = w.clone();
        final double[] minus = w.clone();
        plus[i] += H;
        minus[i] -= H;
        final double numeric = (loss(f, plus, b, x, d) - loss(f, minus, b, x, d)) / (2 * H);
        assertThat(step.gradient()[i]).as("%s dL/dw%d", f.id(), i + 1)
            .isCloseTo(numeric, within(1e-6 * Math.max(1.0, Math.abs(numeric))));
      }
      final double numericB = (loss(f, w, b + H, x, d) - loss(f, w, b - H, x, d)) / (2 * H);
      assertThat(step.biasGradient()).as("%s dL/db", f.id())
          .isCloseTo(numericB, within(1e-6 * Math.max(1.0, Math.abs(numericB))));
      // w·x is summed in four lanes, so the last bits may differ from this sequential sum
      final double reference = loss(f, w, b, x, d);
      assertThat(step.loss()).isCloseTo(reference, within(1e-12 * Math.max(1.0, reference)));

      // the step moved every parameter against its gradient by η
      for (int i = 0; i < n; i++) {
        assertThat(model.weights()[i]).isEqualTo(w[i] - 0.1 * step.gradient()[i]);
      }
      assertThat(model.bias()).isEqualTo(b - 0.1 * step.biasGradient());
    }
  }

  private static double net(final double[] w, final double b, final double[] x) {
    double net = b;
    for (int i = 0; i < w.length; i++) {
      net += w[i] * x[i];
    }
    return net;
  }

  private static double loss(final Activation f, final double[] w, final double b,
      final double[] x, final double d) {
    final double e = d - f.value(net(w, b, x));
    return 0.5 * e * e;
  }

  private static double[] gaussian(final Random random, final int n, final double scale) {
    final double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextGaussian() * scale;
    }
    return v;
  }
}
