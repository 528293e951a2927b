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
}
