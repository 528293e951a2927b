package io.gradstream.learn;

/** Step results as a learner would leave them, for tests outside this package. */
public final class StepResults {
  private StepResults() {}

  /** A one-output step whose output before it was {@code y}. */
  public static StepResult withY(final double y) {
    final StepResult step = new StepResult();
    step.y = y;
    return step;
  }

  /**
   * A step of a model of K classes whose probabilities before it were {@code probabilities}, the
   * label's class being {@code label}: y its probability, the predicted class the most probable.
   */
  public static StepResult ofClasses(final double[] probabilities, final int label) {
    final StepResult step = new StepResult();
    step.probabilities = probabilities.clone();
    step.label = Softmax.argmax(probabilities, probabilities.length);
    step.y = probabilities[label];
    step.loss = -Math.log(step.y);
    return step;
  }
}
