package io.gradstream.stream;

import io.gradstream.events.NamedFeatures;
import io.gradstream.step.PendingPrediction;
import io.gradstream.step.PendingPredictions;

/**
 * One race variant's pending predictions in the task's pending store: under its key followed by
 * 0xFF and the variant (no UTF-8 key begins so), so that each variant keeps the y it served and
 * its labels join as they would in a replay of that variant alone.
 */
final class VariantPending implements PendingPredictions {
  private final PendingStore store;
  private final int variant;
  /** Its own: a label's joined prediction is read after every variant has joined its own. */
  private final PendingPrediction read = new PendingPrediction();
  private final NamedFeatures readFeatures = new NamedFeatures();
  /** The last key asked for and its variant key: a label asks three times in a row. */
  private byte[] lastKey;
  private byte[] lastVariantKey;

  VariantPending(final PendingStore store, final int variant) {
    this.store = store;
    this.variant = variant;
  }

  private byte[] key(final byte[] key) {
    if (key != lastKey) {
      lastKey = key;
      lastVariantKey = ModelStore.variantKey(key, variant);
    }
    return lastVariantKey;
  }

  @Override
  public PendingPrediction get(final byte[] key, final String keyName, final String id) {
    return store.get(key(key), id, read, readFeatures);
  }

  @Override
  public void put(final byte[] key, final String keyName, final String id, final double[] x,
      final NamedFeatures features, final double y, final long modelStep, final long eventTime) {
    store.put(key(key), keyName, id, x, features, y, modelStep, eventTime);
  }

  @Override
  public void remove(final byte[] key, final String keyName, final String id) {
    store.remove(key(key), keyName, id);
  }
}
