package io.gradstream.step;

import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.evaluate.EvaluationSpec;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * What decides whether an event is used, beside the model's own checks: how late its label may
 * come, and how large a feature may be. The stream and replay judge by the same rules.
 *
 * @param maxAbsFeature an event with a feature beyond ±this is a dead letter
 *     feature-out-of-range, instead of a step that can throw a model far off for good (a feature
 *     of 1e300 under the Huber loss left a model at 1e298); infinite for no limit
 * @param initModels the model each of these keys starts from (and a reset returns to), instead of
 *     the settings' starting point ({@code --init-models}); never stepped themselves
 * @param evaluation how each model is judged (its windows, its drift detector); null when models
 *     are not judged
 */
public record EventRules(LabelTtl labels, double maxAbsFeature, Map<String, Model> initModels,
    EvaluationSpec evaluation) {
  public EventRules {
    if (Double.isNaN(maxAbsFeature) || maxAbsFeature <= 0) {
      throw new IllegalArgumentException("max abs feature must be a number above 0, got "
          + maxAbsFeature);
    }
    initModels = Map.copyOf(initModels);
  }

  /** Models not judged. */
  public EventRules(final LabelTtl labels, final double maxAbsFeature,
      final Map<String, Model> initModels) {
    this(labels, maxAbsFeature, initModels, null);
  }

  public EventRules(final LabelTtl labels, final double maxAbsFeature) {
    this(labels, maxAbsFeature, Map.of());
  }

  /** These rules, with every model judged by {@code evaluation} (null: not judged). */
  public EventRules judging(final EvaluationSpec evaluation) {
    return new EventRules(labels, maxAbsFeature, initModels, evaluation);
  }

  /** With no limit on features. */
  public static EventRules of(final LabelTtl labels) {
    return new EventRules(labels, Double.POSITIVE_INFINITY);
  }

  /**
   * Why {@code model} cannot be a key's model under {@code spec}, or null.
   *
   * @param model null when there is none
   */
  public static String misfit(final Model model, final ModelSpec spec) {
    if (model == null) {
      return "a set control record carries a model, as gradstream export writes it";
    }
    if (model.hashBits() != spec.hashBits()) {
      return "the model " + (model.hashBits() == 0 ? "takes a dense x"
          : "hashes its inputs into 2^" + model.hashBits()) + ", the settings ask for "
          + (spec.hashBits() == 0 ? "a dense x" : "hashed inputs of 2^" + spec.hashBits());
    }
    if (!Objects.equals(model.layers(), spec.layers())) {
      return "the model is " + (model.layers() == null ? "one neuron" : "a network "
          + model.layers()) + ", the settings ask for " + (spec.layers() == null
          ? "one neuron" : "a network " + spec.layers());
    }
    if (spec.layers() == null && (model.features() != spec.features()
        || model.hasBias() != spec.bias())) {
      return "the model has " + model.features() + " weights" + (model.hasBias()
          ? " and a bias" : " and no bias") + ", the settings ask for " + spec.features()
          + (spec.bias() ? " and a bias" : " and no bias");
    }
    return null;
  }

  /**
   * {@code model}, stored under {@code settings}, as a model of {@code spec}: its optimizer state
   * means what it meant only under the settings it was stored with, else it starts afresh.
   */
  public static Model fitted(final Model model, final SortedMap<String, String> settings,
      final ModelSpec spec) {
    return spec.stepSettings().equals(settings)
        && model.optimizerState().length == spec.optimizerStateSize()
        && (model.sparse() == null
            || model.sparse().stateSlots() == spec.optimizer().kind().slots())
        ? model : model.withFreshState(spec);
  }

  public static EventRules defaults() {
    return of(LabelTtl.defaults());
  }
}
