package io.gradstream.stream;

import io.gradstream.avro.AvroBinaryWriter;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.Drift;
import io.gradstream.avro.Framing;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.learn.evaluate.DriftDetector;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Encodes one {@link Drift} after its framing's header, field by field in schema order; a test
 * holds the bytes equal to the generated class's. One model per key's drift is written in version
 * 1, the very bytes of the release before races; a race's variant's in the current version, which
 * names it.
 */
final class DriftEncoder {
  static {
    AvroSafety.install();
  }

  private static final long FINGERPRINT = AvroValues.fingerprint(Drift.getClassSchema());
  private static final long VERSION_1 = AvroValues.fingerprint(
      ReleasedSchemas.load(ReleasedSchemas.DRIFT_V1));

  /** Every schema a drift is written with, oldest first. */
  static final List<Schema> SCHEMAS = List.of(ReleasedSchemas.load(ReleasedSchemas.DRIFT_V1),
      Drift.getClassSchema());

  private final AvroBinaryWriter out = new AvroBinaryWriter(128);
  private final byte[] header;
  private final byte[] variantHeader;
  private final TopicUtf8 topicUtf8 = new TopicUtf8();

  /** @param framing the drifts topic's framing of each version */
  DriftEncoder(final Framing framing) {
    this.header = framing.header(VERSION_1);
    this.variantHeader = framing.header(FINGERPRINT);
  }

  /**
   * @param keyUtf8 the model id as the record key holds it
   * @param detector the detector right after it signalled the drift
   * @param variant the race's variant whose detector it was, as UTF-8; null without a race
   */
  byte[] encode(final byte[] keyUtf8, final long step, final DriftDetector detector,
      final boolean reset, final long generation, final String topic, final int partition,
      final long offset, final long time, final byte[] variant) {
    out.start(variant != null ? variantHeader : header);
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
    if (variant != null) {
      out.writeLong(1);
      out.writeUtf8(variant);
    }
    return out.toByteArray();
  }
}
