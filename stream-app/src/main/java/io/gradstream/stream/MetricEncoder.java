package io.gradstream.stream;

import io.gradstream.avro.AvroValues;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.avro.AvroSafety;
import io.gradstream.learn.Model;
import io.gradstream.learn.StepResult;
import org.apache.avro.message.BinaryMessageEncoder;

/** Encodes what one step did as a {@link TrainingMetric} (Avro single-object encoding). */
final class MetricEncoder {
  static {
    AvroSafety.install();
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
    metric.setGradient(AvroValues.list(step.gradient()));
    metric.setBiasGradient(after.hasBias() ? step.biasGradient() : null);
    metric.setGradientNorm(step.gradientNorm());
    metric.setWeights(AvroValues.list(after.weights()));
    metric.setBias(after.hasBias() ? after.bias() : null);
    return AvroValues.bytes(encoder, metric);
  }
}
