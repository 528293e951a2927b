package io.gradstream.learn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.Neuron;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer, with and without weight decay, a schedule and clipping, step for step against
 * {@link TorchReference}: a linear neuron with a bias and the squared loss, whose gradient the test
 * computes itself, (net − d)·x and net − d, clips itself and feeds to the reference.
 */
class OptimizerMatchesTorchTest {
  static Stream<Arguments> variants() {
    final List<Arguments> all = new ArrayList<>();
    for (final String name : OptimizerKind.optionNames()) {
      all.add(Arguments.of(name, 0.0, "constant", 0.0));
      if (!name.equals("ftrl")) {
        all.add(Arguments.of(name, 0.05, "constant", 0.0));
        all.add(Arguments.of(name, 0.0, "invscaling", 0.5));
      } else {
        all.add(Arguments.of(name, 0.0, "constant", 0.5)); // FTRL's l1 and l2, the clip
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} wd={1} {2} clip={3}")
  @MethodSource("variants")
  void stepForStepAsTorchOptim(final String name, final double weightDecay,
      final String schedule, final double clip) {
    final int n = 3;
    final double lr = name.equals("ftrl") ? 0.5 : 0.05;
    final boolean ftrl = name.equals("ftrl");
    final Random random = new Random(name.hashCode());
    final double[] init = ftrl ? new double[n] : new double[] {0.3, -0.2, 0.1};
    final double initBias = ftrl ? 0 : 0.05;
    final OptimizerSettings settings = new OptimizerSettings(OptimizerKind.named(name), null,
        null, null, null, null, ftrl ? null : weightDecay, null, ftrl ? 0.02 : null,
        ftrl ? 0.1 : null, LrSchedule.named(schedule), null, clip);
    final ModelSpec spec = new ModelSpec(n, true, Activation.IDENTITY, lr, init, initBias,
        Loss.SQUARED, settings);
    final Neuron neuron = new Neuron(spec);
    final Model model = neuron.newModel();
    final StepResult step = new StepResult();

    final TorchReference torch = new TorchReference(name, lr, weightDecay, ftrl ? 0.02 : 0,
        ftrl ? 0.1 : 0, n + 1);
    final double[] p = {init[0], init[1], init[2], initBias};
    for (int t = 1; t <= 40; t++) {
      final double[] x = {random.nextGaussian(), random.nextGaussian(), 3 * random.nextGaussian()};
      final double d = 0.7 * x[0] - 0.4 * x[1] + 0.2 * x[2] + 0.1 + 0.3 * random.nextGaussian();
      final double net = p[0] * x[0] + p[1] * x[1] + p[2] * x[2] + p[3];
      final double[] g = {(net - d) * x[0], (net - d) * x[1], (net - d) * x[2], net - d};
      final double norm = Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2] + g[3] * g[3]);
      if (clip > 0 && norm > clip) {
        for (int i = 0; i < g.length; i++) {
          g[i] = g[i] * (clip / norm);
        }
      }
      final double[] before = p.clone();
      torch.step(p, g, schedule.equals("invscaling") ? lr / Math.pow(t, 0.5) : lr);
      double moved = 0;
      for (int i = 0; i < p.length; i++) {
        moved += (p[i] - before[i]) * (p[i] - before[i]);
      }

      assertThat(neuron.learn(model, x, d, step)).isEqualTo(Verdict.TRAINED);
      assertThat(step.gradientNorm()).as("the metric's norm is the loss gradient's, unclipped")
          .isCloseTo(norm, within(1e-12 * norm));
      assertThat(step.updateNorm()).as("how far the step moved the parameters")
          .isCloseTo(Math.sqrt(moved), within(1e-9 * Math.sqrt(moved) + 1e-300));
      for (int i = 0; i < n; i++) {
        assertThat(model.weights()[i]).as("%s step %d w%d", name, t, i + 1)
            .isCloseTo(p[i], within(1e-12 * Math.max(1, Math.abs(p[i]))));
      }
      assertThat(model.bias()).as("%s step %d b", name, t)
          .isCloseTo(p[3], within(1e-12 * Math.max(1, Math.abs(p[3]))));
    }
  }
}
