package io.gradstream.stream;

import io.gradstream.avro.AvroBinary;
import io.gradstream.avro.AvroBinaryWriter;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.ModelState;
import io.gradstream.learn.Model;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Stores a {@link Model} as an Avro {@link ModelState} in single-object encoding, so the store's
 * changelog is readable by any Avro client. It runs twice per event (a get and a put), so it
 * writes and reads the Avro binary of the current schema field by field, without the generated
 * class's boxed lists; bytes of another (older) writer schema go through Avro's resolving decoder.
 * Tests hold the bytes equal to the generated class's.
 */
public final class ModelSerde implements Serde<Model> {
  static {
    AvroSafety.install();
  }

  private static final long FINGERPRINT = AvroValues.fingerprint(ModelState.getClassSchema());

  private static final double[] NO_OPTIMIZER_STATE = {};

  private final AvroBinaryWriter writer = new AvroBinaryWriter(256);
  private BinaryDecoder decoder;
  private final BinaryMessageDecoder<ModelState> evolved = ModelState.getDecoder();

  public byte[] toBytes(final Model model) {
    writer.start(FINGERPRINT);
    writer.writeDoubles(model.weights());
    writer.writeOptionalDouble(model.hasBias(), model.bias());
    writer.writeLong(model.count());
    writer.writeDouble(model.lossSum());
    writer.writeDoubles(NO_OPTIMIZER_STATE); // plain SGD keeps none
    return writer.toByteArray();
  }

  public Model fromBytes(final byte[] bytes) {
    if (!AvroValues.hasHeader(bytes, FINGERPRINT)) {
      return fromEvolved(bytes);
    }
    decoder = DecoderFactory.get().binaryDecoder(bytes, AvroValues.HEADER_LENGTH,
        bytes.length - AvroValues.HEADER_LENGTH, decoder);
    try {
      final double[] weights = AvroBinary.readDoubles(decoder);
      final boolean hasBias = decoder.readIndex() == 1;
      final double bias = hasBias ? decoder.readDouble() : 0.0;
      final long count = decoder.readLong();
      final double lossSum = decoder.readDouble();
      AvroBinary.readDoubles(decoder); // optimizerState: not used by plain SGD
      return new Model(weights, hasBias, bias, count, lossSum);
    } catch (final IOException | RuntimeException e) {
      throw new SerializationException("stored model is not a ModelState", e);
    }
  }

  private Model fromEvolved(final byte[] bytes) {
    final ModelState state;
    try {
      state = evolved.decode(bytes);
    } catch (final IOException | RuntimeException e) {
      throw new SerializationException("stored model is not a ModelState", e);
    }
    final Double bias = state.getBias();
    return new Model(AvroValues.array(state.getWeights()), bias != null,
        bias == null ? 0.0 : bias, state.getCount(), state.getLossSum());
  }

  @Override
  public Serializer<Model> serializer() {
    return (topic, model) -> model == null ? null : toBytes(model);
  }

  @Override
  public Deserializer<Model> deserializer() {
    return (topic, bytes) -> bytes == null ? null : fromBytes(bytes);
  }
}
