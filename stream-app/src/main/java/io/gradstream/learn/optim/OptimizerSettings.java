package io.gradstream.learn.optim;

import java.util.List;
import java.util.SortedMap;

/**
 * How a step is taken from the loss gradient: the optimizer and its hyperparameters, the learning
 * rate schedule and gradient clipping. Checked once here; a hyperparameter that the optimizer does
 * not use is refused rather than ignored.
 *
 * @param epsilon ε; null for the optimizer's default (1e-8, Adagrad 1e-10)
 * @param weightDecay λ; null for the optimizer's default (0, AdamW 0.01)
 * @param schedule {@code constant} or {@code invscaling} (η_t = η / t^powerT)
 * @param clipNorm the largest L2 norm of a gradient, larger ones are scaled down to it; 0 for none
 */
public record OptimizerSettings(String name, Double momentum, Double beta1, Double beta2,
    Double epsilon, Double rmspropAlpha, Double weightDecay, Double ftrlBeta, Double l1, Double l2,
    String schedule, Double powerT, double clipNorm) {

  public static final List<String> NAMES = List.of("sgd", "momentum", "nesterov", "adagrad",
      "rmsprop", "adam", "adamw", "ftrl");

  /** Which optimizers take each hyperparameter, by option name. */
  private static final List<List<String>> USES = List.of(
      List.of("momentum", "momentum", "nesterov"),
      List.of("beta1", "adam", "adamw"),
      List.of("beta2", "adam", "adamw"),
      List.of("epsilon", "adagrad", "rmsprop", "adam", "adamw"),
      List.of("rmsprop-alpha", "rmsprop"),
      List.of("weight-decay", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam",
          "adamw"),
      List.of("ftrl-beta", "ftrl"),
      List.of("l1", "ftrl"),
      List.of("l2", "ftrl"));

  public OptimizerSettings {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("optimizer '" + name + "' is unknown (expected "
          + String.join(", ", NAMES) + ")");
    }
    final Double[] given = {momentum, beta1, beta2, epsilon, rmspropAlpha, weightDecay, ftrlBeta,
        l1, l2};
    for (int i = 0; i < given.length; i++) {
      final List<String> use = USES.get(i);
      if (given[i] != null && !use.subList(1, use.size()).contains(name)) {
        throw new IllegalArgumentException(use.get(0).replace('-', ' ') + " does not apply to "
            + name + " (it is a setting of " + String.join(", ", use.subList(1, use.size())) + ")");
      }
    }
    momentum = within("momentum", orDefault(momentum, 0.9), 0, false, 1, true);
    beta1 = within("beta1", orDefault(beta1, 0.9), 0, false, 1, true);
    beta2 = within("beta2", orDefault(beta2, 0.999), 0, false, 1, true);
    epsilon = within("epsilon", orDefault(epsilon, name.equals("adagrad") ? 1e-10 : 1e-8), 0, true,
        Double.MAX_VALUE, false);
    rmspropAlpha = within("rmsprop alpha", orDefault(rmspropAlpha, 0.99), 0, false, 1, true);
    weightDecay = within("weight decay", orDefault(weightDecay, name.equals("adamw") ? 0.01 : 0),
        0, false, Double.MAX_VALUE, false);
    ftrlBeta = within("ftrl beta", orDefault(ftrlBeta, 1.0), 0, true, Double.MAX_VALUE, false);
    l1 = within("l1", orDefault(l1, 0.0), 0, false, Double.MAX_VALUE, false);
    l2 = within("l2", orDefault(l2, 0.0), 0, false, Double.MAX_VALUE, false);
    if (!schedule.equals("constant") && !schedule.equals("invscaling")) {
      throw new IllegalArgumentException("lr schedule must be constant or invscaling, got '"
          + schedule + "'");
    }
    if (powerT != null && schedule.equals("constant")) {
      throw new IllegalArgumentException("power t " + powerT + " needs --lr-schedule invscaling");
    }
    powerT = within("power t", orDefault(powerT, 0.5), 0, false, Double.MAX_VALUE, false);
    if (schedule.equals("invscaling") && name.equals("ftrl")) {
      throw new IllegalArgumentException("lr schedule invscaling does not apply to ftrl: its "
          + "rate is per coordinate already");
    }
    within("clip norm", clipNorm, 0, false, Double.MAX_VALUE, false);
  }

  /** Plain SGD at a constant rate, without clipping: the learning rule of the README. */
  public static OptimizerSettings sgd() {
    return new OptimizerSettings("sgd", null, null, null, null, null, null, null, null, null,
        "constant", null, 0);
  }

  /** True when a step is w ← w − η·∂L/∂w and nothing else (no state, decay, schedule, clip). */
  public boolean plain() {
    return name.equals("sgd") && weightDecay == 0 && schedule.equals("constant") && clipNorm == 0;
  }

  public Optimizer create() {
    return switch (name) {
      case "sgd" -> new Sgd(weightDecay);
      case "momentum" -> new Momentum(momentum, false, weightDecay);
      case "nesterov" -> new Momentum(momentum, true, weightDecay);
      case "adagrad" -> new Adagrad(epsilon, weightDecay);
      case "rmsprop" -> new RmsProp(rmspropAlpha, epsilon, weightDecay);
      case "adam" -> new Adam(beta1, beta2, epsilon, weightDecay, false);
      case "adamw" -> new Adam(beta1, beta2, epsilon, weightDecay, true);
      default -> new Ftrl(ftrlBeta, l1, l2);
    };
  }

  /** The doubles of optimizer state a model with {@code parameters} parameters keeps. */
  public int stateSize(final int parameters) {
    final int slots = create().slots();
    return slots == 0 ? 0 : 1 + slots * parameters; // the optimizer's step count first
  }

  /** η_t, the learning rate of the model's step {@code t} (1, 2, ...). */
  public double rate(final double eta, final long t) {
    return schedule.equals("constant") ? eta : eta / StrictMath.pow(t, powerT);
  }

  /** These settings by option name, as stored with a model. */
  public void describe(final SortedMap<String, String> settings) {
    settings.put("optimizer", name);
    final Double[] values = {momentum, beta1, beta2, epsilon, rmspropAlpha, weightDecay, ftrlBeta,
        l1, l2};
    for (int i = 0; i < values.length; i++) {
      final List<String> use = USES.get(i);
      if (use.subList(1, use.size()).contains(name)) {
        settings.put(use.get(0), Double.toString(values[i]));
      }
    }
    settings.put("lr-schedule", schedule);
    if (schedule.equals("invscaling")) {
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
