package io.gradstream.learn;

import io.gradstream.learn.features.HashedVector;

/**
 * The learning rule of a model over hashed inputs: one neuron ({@link HashedNeuron}) or a network
 * ({@link HashedNetwork}). The input is canonical (see {@link HashedVector#canonical()}).
 */
public interface HashedLearner {
  /** The learner of a hashed spec. */
  static HashedLearner of(final ModelSpec spec) {
    return spec.layers() != null ? new HashedNetwork(spec) : new HashedNeuron(spec);
  }

  ModelSpec spec();

  /** A model that has seen nothing. */
  Model newModel();

  /** y with the model as it is; nothing changes. */
  Verdict predict(Model model, HashedVector x, StepResult out);

  /** One step, or why not; a refused event changes nothing. */
  Verdict learn(Model model, HashedVector x, double d, StepResult out);
}
