package io.gradstream.learn;

/**
 * The learning rule of a spec's models, one event at a time: a {@link Neuron}, or a {@link
 * Network} when the spec has hidden layers. Streaming and {@code replay} both call {@link #learn}
 * once per training event, which is what makes their models bit-identical. One instance per
 * thread: it keeps scratch arrays so that a step allocates nothing.
 */
public interface Learner {
  static Learner of(final ModelSpec spec) {
    return spec.layers() == null ? new Neuron(spec) : new Network(spec);
  }

  ModelSpec spec();

  /** A model that has seen nothing yet. */
  default Model newModel() {
    return Model.initial(spec());
  }

  /**
   * y with the model as it is, into {@code out.net} and {@code out.y}; or why there is none.
   * Nothing changes in the model. It is the forward pass {@link #learn} takes, so a prediction
   * equals the y of a training event with the same x at the same point.
   */
  Verdict predict(Model model, double[] x, StepResult out);

  /**
   * Checks the event, and if it is valid takes one step on {@code model}. An event that is not
   * {@link Verdict#TRAINED} changes nothing in the model.
   */
  Verdict learn(Model model, double[] x, double d, StepResult out);

  /** Why {@code d} cannot be a label (non-finite, or outside what the loss takes), or null. */
  default Verdict refusedLabel(final double d) {
    return refusedLabel(spec().loss(), d);
  }

  /** Why {@code d} cannot be a label of {@code loss}, or null. */
  static Verdict refusedLabel(final Loss loss, final double d) {
    if (!Double.isFinite(d)) {
      return Verdict.NON_FINITE_LABEL;
    }
    return loss.accepts(d) ? null : Verdict.LABEL_OUT_OF_RANGE;
  }
}
