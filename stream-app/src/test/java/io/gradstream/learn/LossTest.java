package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The losses against independent computations: central finite differences of each loss written
 * out here in its textbook form, steps worked by hand, and the logistic loss at the edge of the
 * double range.
 */
class LossTest {
  private static final double H = 1e-6;
  private final StepResult step = new StepResult();

  /** The textbook forms: squared ½(d − y)², Huber piecewise, cross-entropy in y. */
  private static double textbook(final String loss, final double delta, final double y,
      final double d) {
    final double e = d - y;
    return switch (loss) {
      case "squared" -> 0.5 * e * e;
      case "huber" -> Math.abs(e) <= delta ? 0.5 * e * e : delta * (Math.abs(e) - 0.5 * delta);
      default -> -d * Math.log(y) - (1 - d) * Math.log(1 - y);
    };
  }

  @Test
  void gradientsMatchFiniteDifferencesOfTheTextbookLoss() {
    final Random random = new Random(9);
    final String[] losses = {"squared", "huber", "logistic"};
    for (final String name : losses) {
      for (final Activation f : Activation.values()) {
        if (name.equals("logistic") && f != Activation.SIGMOID) {
          continue;
        }
        for (int trial = 0; trial < 100; trial++) {
          final int n = 1 + random.nextInt(6);
          final double delta = 0.1 + random.nextDouble();
          final double[] w = gaussian(random, n);
          final double b = random.nextGaussian() * 0.5;
          final double[] x = gaussian(random, n);
          final double d = name.equals("logistic") ? random.nextDouble()
              : 3 * random.nextGaussian();
          final double net = net(w, b, x);
          final double e = d - f.value(net);
          if (Math.abs(net) < 1e-3 || Math.abs(Math.abs(e) - delta) < 1e-3) {
            continue; // the kinks of relu and of Huber: no derivative to compare with
          }
          final ModelSpec spec = new ModelSpec(n, true, f, 0.1, w, b, Loss.of(name, delta));
          final Model model = Model.initial(spec);
          assertThat(new Neuron(spec).learn(model, x, d, step)).isEqualTo(Verdict.TRAINED);
          assertThat(step.loss()).as("%s %s loss", name, f.id())
              .isCloseTo(textbook(name, delta, f.value(net), d), within(1e-12));
          for (int i = 0; i < n; i++) {
            final double[] plus = w.clone();
            final double[] minus = w.clone();
            plus[i] += H;
            minus[i] -= H;
            final double numeric = (textbook(name, delta, f.value(net(plus, b, x)), d)
                - textbook(name, delta, f.value(net(minus, b, x)), d)) / (2 * H);
            assertThat(step.gradient()[i]).as("%s %s dL/dw%d", name, f.id(), i + 1)
                .isCloseTo(numeric, within(1e-6 * Math.max(1.0, Math.abs(numeric))));
          }
          final double numericB = (textbook(name, delta, f.value(net(w, b + H, x)), d)
              - textbook(name, delta, f.value(net(w, b - H, x)), d)) / (2 * H);
          assertThat(step.biasGradient()).as("%s %s dL/db", name, f.id())
              .isCloseTo(numericB, within(1e-6 * Math.max(1.0, Math.abs(numericB))));
        }
      }
    }
  }

  @Test
  void logisticStepsWorkedByHand() {
    // x = 2, w = 0, no bias, η = 0.5, d = 1, three times
    final ModelSpec spec = new ModelSpec(1, false, Activation.SIGMOID, 0.5, null, 0,
        Loss.LOGISTIC);
    final Neuron neuron = new Neuron(spec);
    final Model model = neuron.newModel();
    final double[] x = {2};
    // step 1: net = 0, y = ½, L = ln 2 = 0.6931471805599453, ∂L/∂net = y − d = −½,
    //         ∂L/∂w = −1, w = 0 + 0.5 = 0.5
    assertThat(neuron.learn(model, x, 1, step)).isEqualTo(Verdict.TRAINED);
    assertThat(step.loss()).isEqualTo(0.6931471805599453);
    assertThat(step.gradient()[0]).isEqualTo(-1.0);
    assertThat(model.weights()[0]).isEqualTo(0.5);
    // step 2: net = 1, y = 1/(1 + e^−1) = 0.7310585786300049, L = ln(1 + e^−1)
    //         = 0.31326168751822286, ∂L/∂w = 2(y − 1) = −0.5378828427399902,
    //         w = 0.5 + 0.5·0.5378828427399902 = 0.7689414213699951
    assertThat(neuron.learn(model, x, 1, step)).isEqualTo(Verdict.TRAINED);
    assertThat(step.y()).isCloseTo(0.7310585786300049, within(1e-15));
    assertThat(step.loss()).isCloseTo(0.31326168751822286, within(1e-15));
    assertThat(step.gradient()[0]).isCloseTo(-0.5378828427399902, within(1e-15));
    assertThat(model.weights()[0]).isCloseTo(0.7689414213699951, within(1e-15));
    // step 3: net = 1.5378828427399902, y = 0.8231567420602203, L = −ln y = 0.19460864436073
    assertThat(neuron.learn(model, x, 1, step)).isEqualTo(Verdict.TRAINED);
    assertThat(step.y()).isCloseTo(0.8231567420602203, within(1e-15));
    assertThat(step.loss()).isCloseTo(0.19460864436073, within(1e-15));
  }

  @Test
  void huberStepsWorkedByHand() {
    // identity, x = 1, w = 0, no bias, η = 0.5, δ = 1, d = 3: the error shrinks from the linear
    // part into the squared part
    final ModelSpec spec = new ModelSpec(1, false, Activation.IDENTITY, 0.5, null, 0,
        Loss.of("huber", 1.0));
    final Neuron neuron = new Neuron(spec);
    final Model model = neuron.newModel();
    final double[] x = {1};
    // step 1: e = 3 > δ: L = 1·(3 − ½) = 2.5, ∂L/∂w = −δ = −1, w = 0.5
    assertThat(neuron.learn(model, x, 3, step)).isEqualTo(Verdict.TRAINED);
    assertThat(step.loss()).isEqualTo(2.5);
    assertThat(step.gradient()[0]).isEqualTo(-1.0);
    assertThat(model.weights()[0]).isEqualTo(0.5);
    // step 2: e = 2.5: L = 2, ∂L/∂w = −1, w = 1
    assertThat(neuron.learn(model, x, 3, step)).isEqualTo(Verdict.TRAINED);
    assertThat(step.loss()).isEqualTo(2.0);
    assertThat(model.weights()[0]).isEqualTo(1.0);
    // step 3 and 4: e = 2 → w = 1.5; e = 1.5 → w = 2; step 5: e = 1 = δ, squared: L = ½,
    // ∂L/∂w = −1, w = 2.5; step 6: e = ½: L = ⅛, ∂L/∂w = −½, w = 2.75
    for (int i = 0; i < 3; i++) {
      neuron.learn(model, x, 3, step);
    }
    assertThat(step.loss()).isEqualTo(0.5);
    assertThat(model.weights()[0]).isEqualTo(2.5);
    neuron.learn(model, x, 3, step);
    assertThat(step.loss()).isEqualTo(0.125);
    assertThat(step.gradient()[0]).isEqualTo(-0.5);
    assertThat(model.weights()[0]).isEqualTo(2.75);
  }

  @Test
  void logisticIsFiniteAcrossTheDoubleRangeAndRefusesLabelsOutsideZeroToOne() {
    final Loss loss = Loss.LOGISTIC;
    final Activation s = Activation.SIGMOID;
    assertThat(loss.value(1e300, s.value(1e300), 0)).isEqualTo(1e300);
    assertThat(loss.value(1e300, s.value(1e300), 1)).isEqualTo(0.0);
    assertThat(loss.value(-1e300, s.value(-1e300), 1)).isEqualTo(1e300);
    assertThat(loss.value(-1e300, s.value(-1e300), 0)).isEqualTo(0.0);
    assertThat(loss.value(800, s.value(800), 0.25)).isEqualTo(600.0);
    assertThat(loss.slope(1e300, s.value(1e300), 0, 0)).isEqualTo(1.0);

    final ModelSpec spec = new ModelSpec(1, true, Activation.SIGMOID, 0.1, null, 0, loss);
    final Model model = Model.initial(spec);
    for (final double d : new double[] {-0.001, 1.5, -1}) {
      assertThat(new Neuron(spec).learn(model, new double[] {1}, d, step))
          .isEqualTo(Verdict.LABEL_OUT_OF_RANGE);
    }
    assertThat(model.count()).isZero();
    assertThat(new Neuron(spec).learn(model, new double[] {1}, 0, step))
        .isEqualTo(Verdict.TRAINED);
  }

  @Test
  void impossibleLossSettingsAreRefused() {
    assertThatThrownBy(() -> new ModelSpec(1, false, Activation.TANH, 0.1, null, 0,
        Loss.LOGISTIC)).hasMessageStartingWith("loss logistic is the cross-entropy of a sigmoid "
            + "output: it needs --activation sigmoid, got tanh");
    assertThatThrownBy(() -> Loss.of("huber", 0)).hasMessageStartingWith("huber delta must be");
    assertThatThrownBy(() -> Loss.of("huber", Double.NaN)).hasMessageStartingWith("huber delta");
    assertThatThrownBy(() -> Loss.of("hinge", 1)).hasMessageContaining("unknown loss 'hinge'");
    assertThat(new ModelSpec(1, false, Activation.TANH, 0.1, null, 0, Loss.of("huber", 2))
        .stepSettings()).containsEntry("loss", "huber").containsEntry("huber-delta", "2.0");
  }

  private static double net(final double[] w, final double b, final double[] x) {
    double net = b;
    for (int i = 0; i < w.length; i++) {
      net += w[i] * x[i];
    }
    return net;
  }

  private static double[] gaussian(final Random random, final int n) {
    final double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextGaussian() * 0.7;
    }
    return v;
  }
}
