package io.gradstream.learn.evaluate;

/**
 * Where a model's full window segments are kept once written out (the windows store): a window
 * holds the segments it filled since they were last written, and reads the others from here.
 */
public interface Segments {
  /** Nothing is kept outside the windows: every segment they read they hold. */
  Segments NONE = (stream, slot) -> null;

  /** A full segment: its number, and its samples (ŷ and d in turn). */
  record Segment(long number, double[] samples) {}

  /**
   * The segment kept in {@code slot} of the window of {@code stream} ({@link
   * ModelEvaluation#PREQUENTIAL} or {@link ModelEvaluation#SERVED}), or null.
   */
  Segment read(int stream, int slot);

  /** Where a window's held segments are written. */
  interface Sink {
    void write(int stream, int slot, long number, double[] samples);
  }
}
