package io.gradstream.events;

import io.gradstream.avro.AvroValues;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.avro.AvroSafety;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;

/**
 * Reads Avro single-object encoded {@link LabeledEvent}s ({@code C3 01}, the writer schema's
 * CRC-64-AVRO fingerprint, then Avro binary). Writer schemas other than the current one are resolved
 * through the schema store, so older producers stay readable.
 */
public final class AvroEventDecoder implements EventDecoder {
  static {
    AvroSafety.install();
  }

  private final BinaryMessageDecoder<LabeledEvent> decoder;
  private LabeledEvent reuse = new LabeledEvent();

  public AvroEventDecoder() {
    final SchemaStore.Cache known = new SchemaStore.Cache();
    known.addSchema(LabeledEvent.getClassSchema());
    this.decoder = LabeledEvent.createDecoder(known);
  }

  @Override
  public void decode(final byte[] value, final EventFields into) throws UndecodableEventException {
    into.clear();
    if (value == null) {
      throw new UndecodableEventException("null value");
    }
    try {
      reuse = decoder.decode(value, reuse);
    } catch (final Exception | StackOverflowError | OutOfMemoryError e) {
      // Avro reports truncation, unknown fingerprints and absurd lengths in several ways
      throw new UndecodableEventException("not a LabeledEvent in Avro single-object encoding: "
          + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    into.x = AvroValues.array(reuse.getX());
    into.d = reuse.getD();
    into.hasLabel = true;
    into.eventTime = reuse.getEventTime() == null ? EventFields.NO_TIME
        : reuse.getEventTime().toEpochMilli();
  }
}
