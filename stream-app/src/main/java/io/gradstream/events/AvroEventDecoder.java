package io.gradstream.events;

import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.avro.AvroBinary;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;

/**
 * Reads Avro single-object encoded {@link LabeledEvent}s ({@code C3 01}, the writer schema's
 * CRC-64-AVRO fingerprint, then Avro binary). Events written with the current schema, nearly all
 * of them, are read field by field into a {@code double[]}; other writer schemas are resolved
 * through the schema store, so older producers stay readable.
 */
public final class AvroEventDecoder implements EventDecoder {
  static {
    AvroSafety.install();
  }

  private static final long FINGERPRINT = AvroValues.fingerprint(LabeledEvent.getClassSchema());

  private final BinaryMessageDecoder<LabeledEvent> evolved;
  private LabeledEvent reuse = new LabeledEvent();
  private BinaryDecoder decoder;
  /** The last event's x, filled again by the next one of the same dimension. */
  private double[] previousX;

  public AvroEventDecoder() {
    final SchemaStore.Cache known = new SchemaStore.Cache();
    known.addSchema(LabeledEvent.getClassSchema());
    this.evolved = LabeledEvent.createDecoder(known);
  }

  @Override
  public void decode(final byte[] value, final EventFields into) throws UndecodableEventException {
    into.clear();
    if (value == null) {
      throw new UndecodableEventException("null value");
    }
    try {
      if (AvroValues.hasHeader(value, FINGERPRINT)) {
        readCurrent(value, into);
      } else {
        readEvolved(value, into);
      }
    } catch (final Exception | StackOverflowError | OutOfMemoryError e) {
      // Avro reports truncation, unknown fingerprints and absurd lengths in several ways
      throw new UndecodableEventException("not a LabeledEvent in Avro single-object encoding: "
          + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** x, d, eventTime in the order of the current schema. */
  private void readCurrent(final byte[] value, final EventFields into) throws IOException {
    decoder = DecoderFactory.get().binaryDecoder(value, AvroValues.HEADER_LENGTH,
        value.length - AvroValues.HEADER_LENGTH, decoder);
    into.x = AvroBinary.readDoubles(decoder, previousX);
    previousX = into.x;
    into.d = decoder.readDouble();
    into.hasLabel = true;
    final int time = decoder.readIndex();
    if (time == 1) {
      into.eventTime = decoder.readLong();
    } else if (time != 0) {
      throw new IOException("eventTime union index " + time);
    }
  }

  private void readEvolved(final byte[] value, final EventFields into) throws IOException {
    reuse = evolved.decode(value, reuse);
    into.x = AvroValues.array(reuse.getX());
    into.d = reuse.getD();
    into.hasLabel = true;
    into.eventTime = reuse.getEventTime() == null ? EventFields.NO_TIME
        : reuse.getEventTime().toEpochMilli();
  }
}
