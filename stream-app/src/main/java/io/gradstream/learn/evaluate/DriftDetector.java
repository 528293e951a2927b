package io.gradstream.learn.evaluate;

/**
 * Reads a model's prequential samples one by one and says when their distribution has changed.
 * After a drift it starts again from its initial state. Its state is a few doubles, kept with the
 * model.
 */
public interface DriftDetector {
  /** How many doubles {@link #write} takes. */
  int STATE = 4;

  /**
   * Reads one sample: its loss, and its error (1 when the class was wrong, else 0; a regression's
   * is 0). True when this sample signals a drift.
   */
  boolean update(double loss, double error);

  /** The statistic the last update compared. */
  double statistic();

  /** What the last update compared it with. */
  double threshold();

  /** Its id, as {@code --drift} names it. */
  String id();

  /** Its state as {@link #STATE} doubles from {@code at}. */
  void write(double[] into, int at);

  /** The state {@link #write} wrote. */
  void read(double[] from, int at);

  DriftDetector copy();
}
