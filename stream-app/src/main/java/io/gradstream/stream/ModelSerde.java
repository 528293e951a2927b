package io.gradstream.stream;

import io.gradstream.avro.AvroValues;
import io.gradstream.avro.ModelState;
import io.gradstream.avro.AvroSafety;
import io.gradstream.learn.Model;
import java.io.IOException;
import java.util.List;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Stores a {@link Model} as an Avro {@link ModelState} in single-object encoding, so the store's
 * changelog is readable by any Avro client. The one place that knows the stored format.
 */
public final class ModelSerde implements Serde<Model> {
  static {
    AvroSafety.install();
  }

  private final BinaryMessageEncoder<ModelState> encoder = ModelState.getEncoder();
  private final BinaryMessageDecoder<ModelState> decoder = ModelState.getDecoder();

  public byte[] toBytes(final Model model) {
    return AvroValues.bytes(encoder, new ModelState(AvroValues.list(model.weights()),
        model.hasBias() ? model.bias() : null, model.count(), model.lossSum(), List.of()));
  }

  public Model fromBytes(final byte[] bytes) {
    final ModelState state;
    try {
      state = decoder.decode(bytes);
    } catch (final IOException e) {
      throw new SerializationException("stored model is not a ModelState", e);
    }
    final Double bias = state.getBias();
    return new Model(AvroValues.array(state.getWeights()), bias != null, bias == null ? 0.0 : bias, state.getCount(),
        state.getLossSum());
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
