package io.gradstream.stream;

import io.gradstream.avro.AvroBinaryWriter;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.Framing;
import io.gradstream.avro.Prediction;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.learn.Classes;
import io.gradstream.learn.StepResult;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Encodes one {@link Prediction} after its framing's header, field by field in schema order into a
 * reused buffer (one per predict event, like the metrics); a test holds the bytes equal to the
 * generated class's. A model of one output's prediction is written in version 1, the very bytes of
 * the release before K classes; a model of K classes' in version 2, with its probabilities and
 * label; a race's champion's in the current version, which names the variant.
 */
final class PredictionEncoder {
  static {
    AvroSafety.install();
  }

  private static final long FINGERPRINT = AvroValues.fingerprint(Prediction.getClassSchema());
  private static final long VERSION_1 = AvroValues.fingerprint(
      ReleasedSchemas.load(ReleasedSchemas.PREDICTION_V1));
  private static final long VERSION_2 = AvroValues.fingerprint(
      ReleasedSchemas.load(ReleasedSchemas.PREDICTION_V2));

  /** Every schema a prediction is written with, oldest first. */
  static final List<Schema> SCHEMAS = List.of(ReleasedSchemas.load(ReleasedSchemas.PREDICTION_V1),
      ReleasedSchemas.load(ReleasedSchemas.PREDICTION_V2), Prediction.getClassSchema());

  private final AvroBinaryWriter out = new AvroBinaryWriter(96);
  private final TopicUtf8 topicUtf8 = new TopicUtf8();
  private final ClassOutput classes;

  private final byte[] header;
  private final byte[] classesHeader;
  private final byte[] variantHeader;

  /**
   * @param classes the model's classes; null for a model of one output
   * @param framing the predictions topic's framing of each version
   */
  PredictionEncoder(final Classes classes, final Framing framing) {
    this.classes = new ClassOutput(classes);
    this.header = framing.header(VERSION_1);
    this.classesHeader = framing.header(VERSION_2);
    this.variantHeader = framing.header(FINGERPRINT);
  }

  /**
   * @param keyUtf8 the model id as the record key holds it (checked to be UTF-8)
   * @param eventTime the event's time (its own, else the record timestamp)
   * @param variant the race's variant that predicted, as UTF-8; null without a race
   */
  byte[] encode(final byte[] keyUtf8, final String id, final StepResult step,
      final long modelStep, final long eventTime, final String topic, final int partition,
      final long offset, final byte[] variant) {
    out.start(variant != null ? variantHeader : classes.classes() ? classesHeader : header);
    out.writeUtf8(keyUtf8);
    out.writeOptionalString(id);
    out.writeDouble(step.y());
    out.writeLong(modelStep);
    out.writeOptionalLong(true, eventTime);
    out.writeUtf8(topicUtf8.of(topic));
    out.writeInt(partition);
    out.writeLong(offset);
    if (classes.classes() || variant != null) {
      classes.write(out, step);
    }
    if (variant != null) {
      out.writeLong(1);
      out.writeUtf8(variant);
    }
    return out.toByteArray();
  }
}
