package io.gradstream.stream;

import io.gradstream.avro.AvroBinary;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.learn.Model;
import io.gradstream.learn.StepResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Encodes what one step did as a {@link TrainingMetric} in single-object encoding. One metric per
 * event, so it writes the Avro binary field by field in schema order, without boxing the vectors;
 * a test holds the bytes equal to the generated class's.
 */
final class MetricEncoder {
  static {
    AvroSafety.install();
  }

  private static final long FINGERPRINT = AvroValues.fingerprint(TrainingMetric.getClassSchema());

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
  private BinaryEncoder out;

  byte[] encode(final String key, final String topic, final int partition, final long offset,
      final StepResult step, final Model after) {
    buffer.reset();
    AvroValues.writeHeader(buffer, FINGERPRINT);
    out = EncoderFactory.get().directBinaryEncoder(buffer, out);
    try {
      out.writeString(key);
      out.writeLong(after.count());
      out.writeString(topic);
      out.writeInt(partition);
      out.writeLong(offset);
      out.writeDouble(step.net());
      out.writeDouble(step.y());
      out.writeDouble(step.e());
      out.writeDouble(step.fPrime());
      out.writeDouble(step.loss());
      AvroBinary.writeDoubles(out, step.gradient());
      AvroBinary.writeOptionalDouble(out, after.hasBias(), step.biasGradient());
      out.writeDouble(step.gradientNorm());
      AvroBinary.writeDoubles(out, after.weights());
      AvroBinary.writeOptionalDouble(out, after.hasBias(), after.bias());
      out.flush();
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }
}
