package io.gradstream.learn.optim;

import static io.gradstream.learn.optim.OptimizerKind.ADAGRAD;
import static io.gradstream.learn.optim.OptimizerKind.ADAM;
import static io.gradstream.learn.optim.OptimizerKind.ADAMW;
import static io.gradstream.learn.optim.OptimizerKind.FTRL;
import static io.gradstream.learn.optim.OptimizerKind.MOMENTUM;
import static io.gradstream.learn.optim.OptimizerKind.NESTEROV;
import static io.gradstream.learn.optim.OptimizerKind.RMSPROP;
import static io.gradstream.learn.optim.OptimizerKind.SGD;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * How a step is taken from the loss gradient: the optimizer and its hyperparameters, the learning
 * rate schedule and gradient clipping. Checked once here; a hyperparameter that the optimizer does
 * not use is refused rather than ignored.
 *
 * @param epsilon ε; null for the optimizer's default (1e-8, Adagrad 1e-10)
 * @param weightDecay λ; null for the optimizer's default (0, AdamW 0.01)
 * @param powerT the exponent of {@link LrSchedule#INVSCALING}; null for its default (0.5)
 * @param clipNorm the largest L2 norm of a gradient, larger ones are scaled down to it; 0 for none
 */
public record OptimizerSettings(OptimizerKind kind, Double momentum, Double beta1, Double beta2,
    Double epsilon, Double rmspropAlpha, Double weightDecay, Double ftrlBeta, Double l1, Double l2,
    LrSchedule schedule, Double powerT, double clipNorm) {

  /** A hyperparameter by option name, and the optimizers that take it. */
  private record Use(String setting, Set<OptimizerKind> takers) {
    Use(final String setting, final OptimizerKind first, final OptimizerKind... rest) {
      this(setting, EnumSet.of(first, rest));
    }

    String takersListed() {
      return takers.stream().map(OptimizerKind::optionName).collect(Collectors.joining(", "));
    }
  }

  /** In the order of the record's hyperparameters, momentum to l2. */
  private static final List<Use> USES = List.of(new Use("momentum", MOMENTUM, NESTEROV),
      new Use("beta1", ADAM, ADAMW), new Use("beta2", ADAM, ADAMW),
      new Use("epsilon", ADAGRAD, RMSPROP, ADAM, ADAMW), new Use("rmsprop-alpha", RMSPROP),
      new Use("weight-decay", SGD, MOMENTUM, NESTEROV, ADAGRAD, RMSPROP, ADAM, ADAMW),
      new Use("ftrl-beta", FTRL), new Use("l1", FTRL), new Use("l2", FTRL));

  public OptimizerSettings {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(schedule, "schedule");
    final Double[] given = {momentum, beta1, beta2, epsilon, rmspropAlpha, weightDecay, ftrlBeta,
        l1, l2};
    for (int i = 0; i < given.length; i++) {
      final Use use = USES.get(i);
      if (given[i] != null && !use.takers().contains(kind)) {
        throw new IllegalArgumentException(use.setting().replace('-', ' ') + " does not apply to "
            + kind + " (it is a setting of " + use.takersListed() + ")");
      }
    }
    momentum = within("momentum", orDefault(momentum, 0.9), 0, false, 1, true);
    beta1 = within("beta1", orDefault(beta1, 0.9), 0, false, 1, true);
    beta2 = within("beta2", orDefault(beta2, 0.999), 0, false, 1, true);
    epsilon = within("epsilon", orDefault(epsilon, kind == ADAGRAD ? 1e-10 : 1e-8), 0, true,
        Double.MAX_VALUE, false);
    rmspropAlpha = within("rmsprop alpha", orDefault(rmspropAlpha, 0.99), 0, false, 1, true);
    weightDecay = within("weight decay", orDefault(weightDecay, kind == ADAMW ? 0.01 : 0),
        0, false, Double.MAX_VALUE, false);
    ftrlBeta = within("ftrl beta", orDefault(ftrlBeta, 1.0), 0, true, Double.MAX_VALUE, false);
    l1 = within("l1", orDefault(l1, 0.0), 0, false, Double.MAX_VALUE, false);
    l2 = within("l2", orDefault(l2, 0.0), 0, false, Double.MAX_VALUE, false);
    if (powerT != null && schedule == LrSchedule.CONSTANT) {
      throw new IllegalArgumentException("power t " + powerT + " needs --lr-schedule invscaling");
    }
    powerT = within("power t", orDefault(powerT, 0.5), 0, false, Double.MAX_VALUE, false);
    if (schedule == LrSchedule.INVSCALING && kind == FTRL) {
      throw new IllegalArgumentException("lr schedule invscaling does not apply to ftrl: its "
          + "rate is per coordinate already");
    }
    within("clip norm", clipNorm, 0, false, Double.MAX_VALUE, false);
  }

  /** Plain SGD at a constant rate, without clipping: the learning rule of the README. */
  public static OptimizerSettings sgd() {
    return of(SGD);
  }

  /** {@code kind} at its default hyperparameters, a constant rate, without clipping. */
  public static OptimizerSettings of(final OptimizerKind kind) {
    return new OptimizerSettings(kind, null, null, null, null, null, null, null, null, null,
        LrSchedule.CONSTANT, null, 0);
  }

  /** True when a step is w ← w − η·∂L/∂w and nothing else (no state, decay, schedule, clip). */
  public boolean plain() {
    return kind == SGD && weightDecay == 0 && schedule == LrSchedule.CONSTANT && clipNorm == 0;
  }

  public Optimizer create() {
    return switch (kind) {
      case SGD -> new Sgd(weightDecay);
      case MOMENTUM -> new Momentum(momentum, false, weightDecay);
      case NESTEROV -> new Momentum(momentum, true, weightDecay);
      case ADAGRAD -> new Adagrad(epsilon, weightDecay);
      case RMSPROP -> new RmsProp(rmspropAlpha, epsilon, weightDecay);
      case ADAM -> new Adam(beta1, beta2, epsilon, weightDecay, false);
      case ADAMW -> new Adam(beta1, beta2, epsilon, weightDecay, true);
      case FTRL -> new Ftrl(ftrlBeta, l1, l2);
    };
  }

  /** The doubles of optimizer state a model with {@code parameters} parameters keeps. */
  public int stateSize(final int parameters) {
    final int slots = kind.slots();
    return slots == 0 ? 0 : 1 + slots * parameters; // the optimizer's step count first
  }

  /** η_t, the learning rate of the model's step {@code t} (1, 2, ...). */
  public double rate(final double eta, final long t) {
    return schedule == LrSchedule.CONSTANT ? eta : eta / StrictMath.pow(t, powerT);
  }

  /** These settings by option name, as stored with a model. */
  public void describe(final SortedMap<String, String> settings) {
    settings.put("optimizer", kind.optionName());
    final Double[] values = {momentum, beta1, beta2, epsilon, rmspropAlpha, weightDecay, ftrlBeta,
        l1, l2};
    for (int i = 0; i < values.length; i++) {
      final Use use = USES.get(i);
      if (use.takers().contains(kind)) {
        settings.put(use.setting(), Double.toString(values[i]));
      }
    }
    settings.put("lr-schedule", schedule.toString());
    if (schedule == LrSchedule.INVSCALING) {
      settings.put("power-t", Double.toString(powerT));
    }
    settings.put("clip-norm", clipNorm == 0 ? "none" : Double.toString(clipNorm));
  }

  private static double orDefault(final Double value, final double otherwise) {
    return value != null ? value : otherwise;
  }

  private static double within(final String setting, final double value, final double low,
      final boolean lowOpen, final double high, final boolean highOpen) {
    final boolean ok = Double.isFinite(value) && (lowOpen ? value > low : value >= low)
        && (highOpen ? value < high : value <= high);
    if (!ok) {
      throw new IllegalArgumentException(setting + " must be " + (high == Double.MAX_VALUE
          ? "a finite number " + (lowOpen ? "above " : "of at least ") + fmt(low)
          : "in " + (lowOpen ? "(" : "[") + fmt(low) + ", " + fmt(high) + (highOpen ? ")" : "]"))
          + ", got " + value);
    }
    return value;
  }

  private static String fmt(final double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
