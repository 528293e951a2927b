package io.gradstream.stream;

import io.gradstream.avro.AvroBinaryWriter;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.Prediction;

/**
 * Encodes one {@link Prediction} in single-object encoding, field by field in schema order into a
 * reused buffer (one per predict event, like the metrics); a test holds the bytes equal to the
 * generated class's.
 */
final class PredictionEncoder {
  static {
    AvroSafety.install();
  }

  private static final long FINGERPRINT = AvroValues.fingerprint(Prediction.getClassSchema());

  private final AvroBinaryWriter out = new AvroBinaryWriter(96);
  private final TopicUtf8 topicUtf8 = new TopicUtf8();

  /**
   * @param keyUtf8 the model id as the record key holds it (checked to be UTF-8)
   * @param eventTime the event's time (its own, else the record timestamp)
   */
  byte[] encode(final byte[] keyUtf8, final String id, final double y, final long modelStep,
      final long eventTime, final String topic, final int partition, final long offset) {
    out.start(FINGERPRINT);
    out.writeUtf8(keyUtf8);
    out.writeOptionalString(id);
    out.writeDouble(y);
    out.writeLong(modelStep);
    out.writeOptionalLong(true, eventTime);
    out.writeUtf8(topicUtf8.of(topic));
    out.writeInt(partition);
    out.writeLong(offset);
    return out.toByteArray();
  }
}
