package io.gradstream.events;

import io.gradstream.avro.AvroBinary;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.avro.ReleasedSchemas;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;

/**
 * Reads Avro single-object encoded {@link LabeledEvent}s ({@code C3 01}, the writer schema's
 * CRC-64-AVRO fingerprint, then Avro binary). Events written with the current schema (a label by
 * class name), version 3 (named features), version 2 (x, d, event time and id) or version 1 (x
 * and d required, no id), nearly
 * all of them, are read field by field into a {@code double[]} or {@link NamedFeatures}; any other
 * writer schema the jar knows is resolved through the schema store.
 */
public final class AvroEventDecoder implements EventDecoder {
  static {
    AvroSafety.install();
  }

  private static final long CURRENT = AvroValues.fingerprint(LabeledEvent.getClassSchema());
  private static final long VERSION_1 = AvroValues.fingerprint(
      ReleasedSchemas.load(ReleasedSchemas.LABELED_EVENT_V1));
  private static final long VERSION_2 = AvroValues.fingerprint(
      ReleasedSchemas.load(ReleasedSchemas.LABELED_EVENT_V2));
  private static final long VERSION_3 = AvroValues.fingerprint(
      ReleasedSchemas.load(ReleasedSchemas.LABELED_EVENT_V3));

  private final BinaryMessageDecoder<LabeledEvent> evolved;
  private LabeledEvent reuse = new LabeledEvent();
  private BinaryDecoder decoder;
  /** The last event's x, filled again by the next one of the same dimension. */
  private double[] previousX;

  public AvroEventDecoder() {
    this.evolved = ReleasedSchemas.labeledEvents();
  }

  @Override
  public void decode(final byte[] value, final EventFields into) throws UndecodableEventException {
    into.clear();
    if (value == null) {
      throw new UndecodableEventException("null value");
    }
    try {
      final int version = AvroValues.hasMarker(value)
          ? version(AvroValues.headerFingerprint(value)) : 0;
      if (version > 0) {
        read(value, AvroValues.HEADER_LENGTH, into, version);
      } else {
        readEvolved(value, into);
      }
    } catch (final Exception | StackOverflowError | OutOfMemoryError e) {
      // Avro reports truncation, unknown fingerprints and absurd lengths in several ways
      throw new UndecodableEventException("not a LabeledEvent in Avro single-object encoding: "
          + (JsonEventDecoder.looksLikeJson(value)
              ? "it begins with '{' as JSON does (read JSON events with --input-format json)"
              : e.getClass().getSimpleName() + ": " + e.getMessage()), e);
    }
  }

  /**
   * Which released version of LabeledEvent the schema of {@code fingerprint} is (4 the current),
   * or 0 for none of them.
   */
  static int version(final long fingerprint) {
    return fingerprint == CURRENT ? 4 : fingerprint == VERSION_3 ? 3
        : fingerprint == VERSION_2 ? 2 : fingerprint == VERSION_1 ? 1 : 0;
  }

  /**
   * x, d, eventTime (and id, features and label) in schema order, from the body that starts at
   * {@code offset}. From version 2 on x and d are
   * unions with null first; in version 1 they are always there and there is no id; version 3 adds
   * the features, a map of number, category or boolean, version 4 the label by class name.
   */
  void read(final byte[] value, final int offset, final EventFields into, final int version)
      throws IOException {
    final boolean current = version >= 2;
    decoder = DecoderFactory.get().binaryDecoder(value, offset, value.length - offset, decoder);
    if (!current || present(decoder.readIndex(), "x")) {
      into.x = AvroBinary.readDoubles(decoder, previousX);
      previousX = into.x;
    }
    if (!current || present(decoder.readIndex(), "d")) {
      into.d = decoder.readDouble();
      into.hasLabel = true;
    }
    if (present(decoder.readIndex(), "eventTime")) {
      into.eventTime = decoder.readLong();
    }
    if (current && present(decoder.readIndex(), "id")) {
      into.id = decoder.readString();
    }
    if (version >= 3 && present(decoder.readIndex(), "features")) {
      readFeatures(into);
    }
    if (version >= 4 && present(decoder.readIndex(), "label")) {
      into.label = decoder.readString();
      into.hasLabel = true;
    }
  }

  private void readFeatures(final EventFields into) throws IOException {
    into.hasFeatures = true;
    AvroFeatures.read(decoder, into.features);
  }

  /** Whether a ["null", T] union holds a T. */
  private static boolean present(final int index, final String field) throws IOException {
    if (index != 0 && index != 1) {
      throw new IOException(field + " union index " + index);
    }
    return index == 1;
  }

  private void readEvolved(final byte[] value, final EventFields into) throws IOException {
    reuse = evolved.decode(value, reuse);
    fill(reuse, into);
  }

  /** {@code into} holds what {@code event}, read by Avro's resolution, holds. */
  private static void fill(final LabeledEvent reuse, final EventFields into) {
    into.x = reuse.getX() == null ? null : AvroValues.array(reuse.getX());
    into.hasLabel = reuse.getD() != null;
    into.d = into.hasLabel ? reuse.getD() : Double.NaN;
    into.eventTime = reuse.getEventTime() == null ? EventFields.NO_TIME
        : reuse.getEventTime().toEpochMilli();
    into.id = reuse.getId();
    if (reuse.getLabel() != null) {
      into.label = reuse.getLabel();
      into.hasLabel = true;
    }
    if (reuse.getFeatures() != null) {
      into.hasFeatures = true;
      reuse.getFeatures().forEach((name, v) -> {
        if (v instanceof Boolean b) {
          into.features.bool(name.toString(), b);
        } else if (v instanceof Double d) {
          into.features.number(name.toString(), d);
        } else {
          into.features.category(name.toString(), v.toString());
        }
      });
    }
  }
}
