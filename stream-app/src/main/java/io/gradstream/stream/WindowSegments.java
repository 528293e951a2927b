package io.gradstream.stream;

import io.gradstream.avro.AvroBinary;
import io.gradstream.avro.AvroBinaryWriter;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.WindowSegment;
import io.gradstream.learn.evaluate.ModelEvaluation;
import io.gradstream.learn.evaluate.Segments;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The full segments of the models' evaluation windows in the windows store: each an Avro {@link
 * WindowSegment} under the model's key followed by its stream and slot, written once when the
 * model is written, so that a step never rewrites a window. Not thread-safe: one per user (the
 * stream thread writes; each reader reads with its own).
 */
final class WindowSegments {
  static {
    AvroSafety.install();
  }

  private static final long FINGERPRINT = AvroValues.fingerprint(WindowSegment.getClassSchema());
  /** The stream byte and the slot int after the model's key. */
  private static final int SUFFIX = 5;

  private final KeyValueStore<Bytes, byte[]> store;
  private final AvroBinaryWriter writer = new AvroBinaryWriter(280);
  private BinaryDecoder decoder;

  WindowSegments(final KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  static Bytes key(final byte[] modelKey, final int stream, final int slot) {
    return Bytes.wrap(ByteBuffer.allocate(modelKey.length + SUFFIX).put(modelKey)
        .put((byte) stream).putInt(slot).array());
  }

  /** Writes every full segment {@code evaluation} holds, under {@code modelKey}. */
  void write(final byte[] modelKey, final ModelEvaluation evaluation) {
    evaluation.release((stream, slot, number, samples) -> {
      writer.start(FINGERPRINT);
      writer.writeLong(number);
      writer.writeDoubles(samples);
      store.put(key(modelKey, stream, slot), writer.toByteArray());
    });
  }

  /** Removes every segment of {@code slots} per stream under {@code modelKey}. */
  void delete(final byte[] modelKey, final int slots) {
    for (int stream = ModelEvaluation.PREQUENTIAL; stream <= ModelEvaluation.SERVED; stream++) {
      for (int slot = 0; slot < slots; slot++) {
        store.delete(key(modelKey, stream, slot));
      }
    }
  }

  /** The segments kept under {@code modelKey}. */
  Segments of(final byte[] modelKey) {
    return (stream, slot) -> {
      final byte[] bytes = store.get(key(modelKey, stream, slot));
      return bytes == null ? null : decode(bytes);
    };
  }

  private Segments.Segment decode(final byte[] bytes) {
    if (!AvroValues.hasHeader(bytes, FINGERPRINT)) {
      throw new SerializationException("a stored window segment is not a WindowSegment");
    }
    decoder = DecoderFactory.get().binaryDecoder(bytes, AvroValues.HEADER_LENGTH,
        bytes.length - AvroValues.HEADER_LENGTH, decoder);
    try {
      return new Segments.Segment(decoder.readLong(), AvroBinary.readDoubles(decoder));
    } catch (final IOException e) {
      throw new SerializationException("a stored window segment is not a WindowSegment", e);
    }
  }
}
