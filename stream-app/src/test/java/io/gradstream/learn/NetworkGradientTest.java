package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradstream.learn.optim.OptimizerSettings;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Backpropagation through hidden layers against an independent computation: central finite
 * differences of the loss, whose forward pass is written again here over nested arrays
 * (W[l][j][i]), for random networks of one to three hidden layers.
 */
class NetworkGradientTest {
  private static final double H = 1e-6;

  @ParameterizedTest
  @EnumSource(Activation.class)
  void everyParameterMatchesFiniteDifferencesForEachHiddenActivation(final Activation hidden) {
    check(hidden, Activation.IDENTITY, Loss.SQUARED, 40 + hidden.ordinal());
    check(hidden, Activation.SIGMOID, Loss.SQUARED, 50 + hidden.ordinal());
  }

  @ParameterizedTest
  @ValueSource(strings = {"logistic", "huber"})
  void everyLossTakesTheChainRuleThroughTheLayers(final String loss) {
    final Activation output = loss.equals("logistic") ? Activation.SIGMOID : Activation.TANH;
    check(Activation.TANH, output, Loss.of(loss, 0.3), loss.length());
  }

  private static void check(final Activation hidden, final Activation output, final Loss loss,
      final long seed) {
    final Random random = new Random(seed);
    int checked = 0;
    for (int trial = 0; trial < 60; trial++) {
      final int n = 1 + random.nextInt(4);
      final int[] units = new int[1 + random.nextInt(3)];
      for (int k = 0; k < units.length; k++) {
        units[k] = 1 + random.nextInt(5);
      }
      final Layers layers = Layers.of(n, units);
      final double[] p = new double[layers.parameters()];
      for (int k = 0; k < p.length; k++) {
        p[k] = random.nextGaussian() * 0.8;
      }
      final double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = random.nextGaussian();
      }
      final double d = loss == Loss.LOGISTIC ? random.nextDouble() : random.nextGaussian();
      final Reference reference = new Reference(layers, hidden, output, loss);
      if (reference.nearKink(p, x, d)) {
        continue; // relu's kink or Huber's: no derivative to compare with
      }
      final ModelSpec spec = spec(n, units, hidden, output, loss, p);
      final Model model = Model.initial(spec);
      final StepResult step = new StepResult();
      assertThat(new Network(spec).learn(model, x, d, step)).isEqualTo(Verdict.TRAINED);
      assertThat(step.loss()).isCloseTo(reference.loss(p, x, d), within(1e-12));
      assertThat(step.y()).isCloseTo(reference.output(p, x), within(1e-12));

      double squares = 0.0;
      for (int k = 0; k < p.length; k++) {
        final double[] plus = p.clone();
        final double[] minus = p.clone();
        plus[k] += H;
        minus[k] -= H;
        final double numeric = (reference.loss(plus, x, d) - reference.loss(minus, x, d))
            / (2 * H);
        assertThat(step.gradient()[k]).as("%s dL/dθ%d of %s", hidden.id(), k, layers)
            .isCloseTo(numeric, within(1e-6 * Math.max(1.0, Math.abs(numeric))));
        squares += numeric * numeric;
      }
      assertThat(step.gradientNorm()).isCloseTo(Math.sqrt(squares), within(1e-6));
      // plain SGD moved every parameter against its gradient by η
      for (int k = 0; k < p.length; k++) {
        assertThat(model.weights()[k]).isEqualTo(p[k] - 0.05 * step.gradient()[k]);
      }
      checked++;
    }
    assertThat(checked).as("trials away from a kink").isGreaterThan(20);
  }

  static ModelSpec spec(final int n, final int[] units, final Activation hidden,
      final Activation output, final Loss loss, final double[] start) {
    return new ModelSpec(n, false, output, 0.05, null, 0.0, loss, OptimizerSettings.sgd(),
        new HiddenLayers(units, hidden, 42L, start));
  }

  /** The forward pass and loss again, over nested arrays, from the layout's definition. */
  static final class Reference {
    private final int[] sizes;
    private final Activation hidden;
    private final Activation output;
    private final Loss loss;

    Reference(final Layers layers, final Activation hidden, final Activation output,
        final Loss loss) {
      this.sizes = layers.sizes();
      this.hidden = hidden;
      this.output = output;
      this.loss = loss;
    }

    /** Layer l's W[j][i] and b[j], read from the flat parameters: W row-major, then b. */
    private double[][][] unpack(final double[] p) {
      final double[][][] layers = new double[sizes.length][][];
      int at = 0;
      for (int l = 1; l < sizes.length; l++) {
        final double[][] wb = new double[sizes[l]][sizes[l - 1] + 1];
        for (int j = 0; j < sizes[l]; j++) {
          for (int i = 0; i < sizes[l - 1]; i++) {
            wb[j][i] = p[at++];
          }
        }
        for (int j = 0; j < sizes[l]; j++) {
          wb[j][sizes[l - 1]] = p[at++];
        }
        layers[l] = wb;
      }
      return layers;
    }

    /** The pre-activations of every layer. */
    double[][] nets(final double[] p, final double[] x) {
      final double[][][] w = unpack(p);
      final double[][] nets = new double[sizes.length][];
      double[] in = x;
      for (int l = 1; l < sizes.length; l++) {
        nets[l] = new double[sizes[l]];
        final double[] outs = new double[sizes[l]];
        for (int j = 0; j < sizes[l]; j++) {
          double s = w[l][j][in.length];
          for (int i = 0; i < in.length; i++) {
            s += w[l][j][i] * in[i];
          }
          nets[l][j] = s;
          outs[j] = (l == sizes.length - 1 ? output : hidden).value(s);
        }
        in = outs;
      }
      return nets;
    }

    double output(final double[] p, final double[] x) {
      final double[][] nets = nets(p, x);
      return output.value(nets[sizes.length - 1][0]);
    }

    double loss(final double[] p, final double[] x, final double d) {
      final double net = nets(p, x)[sizes.length - 1][0];
      return loss.value(net, output.value(net), d);
    }

    boolean nearKink(final double[] p, final double[] x, final double d) {
      final double[][] nets = nets(p, x);
      for (int l = 1; l < sizes.length - 1; l++) {
        for (final double z : nets[l]) {
          if (Math.abs(z) < 1e-3) {
            return true;
          }
        }
      }
      final double e = d - output(p, x);
      return Math.abs(Math.abs(e) - 0.3) < 1e-3;
    }
  }
}
