package io.gradstream.stream;

import io.gradstream.avro.TrustedAvroClasses;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.learn.Model;
import io.gradstream.learn.StepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.message.BinaryMessageEncoder;

/** Encodes what one step did as a {@link TrainingMetric} (Avro single-object encoding). */
final class MetricEncoder {
  static {
    TrustedAvroClasses.register();
  }

  private final BinaryMessageEncoder<TrainingMetric> encoder = TrainingMetric.getEncoder();
  private final TrainingMetric metric = new TrainingMetric();

  byte[] encode(final String key, final String topic, final int partition, final long offset,
      final StepResult step, final Model after) {
    metric.setModelKey(key);
    metric.setStep(after.count());
    metric.setSourceTopic(topic);
    metric.setSourcePartition(partition);
    metric.setSourceOffset(offset);
    metric.setNet(step.net());
    metric.setY(step.y());
    metric.setE(step.e());
    metric.setFPrime(step.fPrime());
    metric.setLoss(step.loss());
    metric.setGradient(boxed(step.gradient()));
    metric.setBiasGradient(after.hasBias() ? step.biasGradient() : null);
    metric.setGradientNorm(step.gradientNorm());
    metric.setWeights(boxed(after.weights()));
    metric.setBias(after.hasBias() ? after.bias() : null);
    try {
      final ByteBuffer buf = encoder.encode(metric);
      final byte[] bytes = new byte[buf.remaining()];
      buf.get(bytes);
      return bytes;
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Double> boxed(final double[] values) {
    final List<Double> list = new ArrayList<>(values.length);
    for (final double v : values) {
      list.add(v);
    }
    return list;
  }
}
