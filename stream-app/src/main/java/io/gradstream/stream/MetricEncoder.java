package io.gradstream.stream;

import io.gradstream.avro.AvroBinaryWriter;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.Framing;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.learn.Classes;
import io.gradstream.learn.Layers;
import io.gradstream.learn.Model;
import io.gradstream.learn.StepResult;
import io.gradstream.step.PendingPrediction;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Encodes what one step did as a {@link TrainingMetric} after its framing's header, each in the
 * oldest version that holds it: one neuron's in version 2, a network's in version 3, a model of K
 * classes' in version 4 (its probabilities and predicted label), a race's variant's in the
 * current version, which names it. One metric
 * per event, so it writes the Avro binary field by field in schema order, without boxing the
 * vectors and straight into one reused array; tests hold the bytes equal to Avro's own.
 */
final class MetricEncoder {
  static {
    AvroSafety.install();
  }

  private static final long FINGERPRINT = AvroValues.fingerprint(TrainingMetric.getClassSchema());
  /**
   * One neuron's metric is written in version 2, the current schema without a network's fields:
   * the same bytes as before networks existed, for consumers that know only version 2.
   */
  private static final long NEURON_FINGERPRINT = AvroValues.fingerprint(
      ReleasedSchemas.load(ReleasedSchemas.TRAINING_METRIC_V2));
  /** A network of one output's metric is written in version 3, as before K classes. */
  private static final long NETWORK_FINGERPRINT = AvroValues.fingerprint(
      ReleasedSchemas.load(ReleasedSchemas.TRAINING_METRIC_V3));
  /** A model of K classes' metric is written in version 4, as before races. */
  private static final long CLASSES_FINGERPRINT = AvroValues.fingerprint(
      ReleasedSchemas.load(ReleasedSchemas.TRAINING_METRIC_V4));
  /** Every schema a metric is written with, oldest first. */
  static final List<Schema> SCHEMAS = List.of(
      ReleasedSchemas.load(ReleasedSchemas.TRAINING_METRIC_V2),
      ReleasedSchemas.load(ReleasedSchemas.TRAINING_METRIC_V3),
      ReleasedSchemas.load(ReleasedSchemas.TRAINING_METRIC_V4), TrainingMetric.getClassSchema());
  private static final int[] NO_LAYERS = {};

  private static final double[] NONE = {};

  private final AvroBinaryWriter out = new AvroBinaryWriter(256);
  private final boolean networkParameters;
  private int[] layerSizes;
  private Layers sizesOf;

  private final ClassOutput classes;
  private final byte[] neuronHeader;
  private final byte[] networkHeader;
  private final byte[] classesHeader;
  private final byte[] variantHeader;

  /**
   * @param detail whether a network's metric carries its gradient and parameters
   * @param classes the model's classes; null for a model of one output
   * @param framing the metrics topic's framing of each version
   */
  MetricEncoder(final MetricsDetail detail, final Classes classes, final Framing framing) {
    this.networkParameters = detail == MetricsDetail.FULL;
    this.classes = new ClassOutput(classes);
    this.neuronHeader = framing.header(NEURON_FINGERPRINT);
    this.networkHeader = framing.header(NETWORK_FINGERPRINT);
    this.classesHeader = framing.header(CLASSES_FINGERPRINT);
    this.variantHeader = framing.header(FINGERPRINT);
  }
  private final TopicUtf8 topicUtf8 = new TopicUtf8();

  /**
   * @param keyUtf8 the model id as the record key holds it (checked to be UTF-8)
   * @param id the event's id, or null
   * @param joined for a label, the prediction it was joined with; else null
   * @param labelDelay for a label, its time minus its prediction's
   * @param variant the race's variant that stepped, as UTF-8; null without a race
   */
  byte[] encode(final byte[] keyUtf8, final String topic, final int partition, final long offset,
      final StepResult step, final Model after, final String id, final PendingPrediction joined,
      final long labelDelay, final byte[] variant) {
    final boolean network = after.layers() != null;
    out.start(variant != null ? variantHeader : classes.classes() ? classesHeader
        : network ? networkHeader : neuronHeader);
    out.writeUtf8(keyUtf8);
    out.writeLong(after.count());
    out.writeUtf8(topicUtf8.of(topic));
    out.writeInt(partition);
    out.writeLong(offset);
    out.writeDouble(step.net());
    out.writeDouble(step.y());
    out.writeDouble(step.e());
    out.writeDouble(step.fPrime());
    out.writeDouble(step.loss());
    // a hashed model's few gradients mean nothing without their coordinates: it has no arrays
    final boolean parameters = after.hashBits() == 0 && (!network || networkParameters);
    out.writeDoubles(parameters ? step.gradient() : NONE);
    out.writeOptionalDouble(after.hasBias(), step.biasGradient());
    out.writeDouble(step.gradientNorm());
    out.writeDoubles(parameters ? after.weights() : NONE);
    out.writeOptionalDouble(after.hasBias(), after.bias());
    out.writeOptionalString(id);
    out.writeOptionalDouble(joined != null, joined != null ? joined.y : 0.0);
    out.writeOptionalLong(joined != null, labelDelay);
    out.writeOptionalDouble(true, step.updateNorm());
    final boolean later = classes.classes() || variant != null;
    if (network) {
      out.writeInts(sizes(after.layers()));
      out.writeDoubles(step.layerGradientNorms());
    } else if (later) {
      out.writeInts(NO_LAYERS);
      out.writeDoubles(NONE);
    }
    if (later) {
      classes.write(out, step);
    }
    if (variant != null) {
      out.writeLong(1);
      out.writeUtf8(variant);
    }
    return out.toByteArray();
  }

  /**
   * The widths of {@code layers}, kept from the last call: every model of a service shares them.
   */
  private int[] sizes(final Layers layers) {
    if (!layers.equals(sizesOf)) {
      sizesOf = layers;
      layerSizes = layers.sizes();
    }
    return layerSizes;
  }
}
