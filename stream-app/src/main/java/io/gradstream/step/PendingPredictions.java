package io.gradstream.step;

import io.gradstream.events.NamedFeatures;

/**
 * Where predictions wait for their labels, by model and prediction id: a changelogged store in
 * the stream, a map in {@code replay}. The model is named twice, as the record key's bytes and as
 * text, so that each side uses the form it keeps without converting.
 */
public interface PendingPredictions {
  /** The pending prediction, or null; it may be reused by the next call. */
  PendingPrediction get(byte[] key, String keyName, String id);

  /**
   * Keeps a prediction pending, replacing one with the same id; x and the features are read, not
   * kept.
   *
   * @param features a hashed model's input as the event named it (x is empty then); else null
   */
  void put(byte[] key, String keyName, String id, double[] x, NamedFeatures features, double y,
      long modelStep, long eventTime);

  void remove(byte[] key, String keyName, String id);
}
