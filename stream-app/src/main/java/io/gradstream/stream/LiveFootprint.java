package io.gradstream.stream;

import io.gradstream.learn.Layers;
import io.gradstream.learn.Model;
import io.gradstream.learn.SparseColumns;
import io.gradstream.learn.SparseWeights;
import io.gradstream.learn.features.StandardScaler;

/**
 * About how many bytes of heap a live key holds, on a 64-bit JVM with compressed references (as
 * the service runs): its entry in the live table, its key as bytes and as text, and each of its
 * models' objects and arrays as they are now, its evaluation's windows included (a head is made
 * at a window's first sample, a served window's only when a prediction is served). The model
 * store keeps keys live while the sum stays within its budget, so a key holding less leaves room
 * for more keys. The sizes are the JVM's own (a class histogram of 100,000 live judged models);
 * {@code LiveFootprintTest} checks the estimate against the heap a JVM measures.
 */
final class LiveFootprint {
  /** The live entry 32, the key's Bytes 24, the map's entry 40 and slot 8, the key's String 24. */
  private static final int ENTRY = 128;
  private static final int ARRAY_HEADER = 16;
  /** The {@link Model} object. */
  private static final int MODEL = 80;
  /** A {@link Layers} object. */
  private static final int LAYERS = 24;
  /** A {@link SparseWeights} or {@link SparseColumns} object, and a scaler's. */
  private static final int SPARSE = 40;
  /** A scaler's feature name: its String and characters, its index entry. */
  private static final int NAME = 96;

  private LiveFootprint() {}

  /** A live key of {@code keyLength} bytes with {@code entry}'s models. */
  static long of(final int keyLength, final ModelStore.Live entry) {
    long bytes = ENTRY + 2 * array(keyLength);
    for (int v = 0; v < entry.models(); v++) {
      final Model model = entry.model(v);
      if (model != null) {
        bytes += of(model);
      }
    }
    return bytes;
  }

  /** One model: its object, its parameters and optimizer state, scaler and evaluation. */
  static long of(final Model model) {
    long bytes = MODEL + array(8L * model.weights().length)
        + (model.optimizerState().length == 0 ? 0 : array(8L * model.optimizerState().length));
    final Layers layers = model.layers();
    if (layers != null) {
      // each network model reads its own shape: its sizes and where each layer starts
      bytes += LAYERS + array(4L * (layers.count() + 1)) + array(4L * (layers.count() + 2));
    }
    final SparseWeights sparse = model.sparse();
    if (sparse != null) {
      final int slots = sparse.weightsBySlot().length;
      // the coordinates (int), weights, optimizer states, and the two int index arrays of 2 · slots
      bytes += SPARSE + array(4L * slots) + array(8L * slots)
          + array(8L * sparse.statesBySlot().length) + 2 * array(8L * slots);
    }
    final SparseColumns columns = model.columns();
    if (columns != null) {
      final int slots = columns.coordinatesBySlot().length;
      // its index (a SparseWeights without state) and each column's weights and states
      bytes += 2 * SPARSE + array(4L * slots) + 3 * array(8L * slots)
          + array(8L * columns.valuesBySlot().length) + array(8L * columns.statesBySlot().length);
    }
    final StandardScaler scaler = model.scaler();
    if (scaler != null) {
      bytes += SPARSE + array(8L * scaler.moments().length)
          + (scaler.byName() ? (long) NAME * scaler.size() : 0);
    }
    return bytes + (model.evaluation() == null ? 0 : model.evaluation().heapBytes());
  }

  /** An array of {@code bytes} of content: its header, aligned to 8 bytes. */
  private static long array(final long bytes) {
    return (ARRAY_HEADER + bytes + 7) & ~7L;
  }
}
