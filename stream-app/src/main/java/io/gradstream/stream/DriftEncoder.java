package io.gradstream.stream;

import io.gradstream.avro.AvroBinaryWriter;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.Drift;
import io.gradstream.learn.evaluate.DriftDetector;

/**
 * Encodes one {@link Drift} in single-object encoding, field by field in schema order; a test
 * holds the bytes equal to the generated class's.
 */
final class DriftEncoder {
  static {
    AvroSafety.install();
  }

  private static final long FINGERPRINT = AvroValues.fingerprint(Drift.getClassSchema());

  private final AvroBinaryWriter out = new AvroBinaryWriter(128);
  private final TopicUtf8 topicUtf8 = new TopicUtf8();

  /**
   * @param keyUtf8 the model id as the record key holds it
   * @param detector the detector right after it signalled the drift
   */
  byte[] encode(final byte[] keyUtf8, final long step, final DriftDetector detector,
      final boolean reset, final long generation, final String topic, final int partition,
      final long offset, final long time) {
    out.start(FINGERPRINT);
    out.writeUtf8(keyUtf8);
    out.writeLong(step);
    out.writeString(detector.id());
    out.writeDouble(detector.statistic());
    out.writeDouble(detector.threshold());
    out.writeString(reset ? "reset" : "keep");
    out.writeLong(generation);
    out.writeUtf8(topicUtf8.of(topic));
    out.writeInt(partition);
    out.writeLong(offset);
    out.writeLong(time);
    return out.toByteArray();
  }
}
