package io.gradstream.stream;

import io.gradstream.avro.AvroBinary;
import io.gradstream.avro.AvroBinaryWriter;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.ModelState;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.learn.Layers;
import io.gradstream.learn.Model;
import io.gradstream.learn.SparseColumns;
import io.gradstream.learn.SparseWeights;
import io.gradstream.learn.evaluate.DriftDetector;
import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.ModelEvaluation;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.features.StandardScaler;
import io.gradstream.learn.features.Welford;
import io.gradstream.learn.optim.OptimizerKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Stores a {@link Model} as an Avro {@link ModelState} in single-object encoding, with the settings
 * it is stepped under, so the store's changelog is readable by any Avro client. It writes and reads
 * the Avro binary of the current schema field by field, without the generated class's boxed
 * lists: a judged model in the current version (6), a model that scales or a network over hashed
 * inputs in version 5, a hashed model in version 4, a network in version 3 and one neuron in
 * version 2 (each the fields of its time), so that every model is stored in the very bytes of the
 * release that brought it. Bytes of version 1 (no settings) go
 * through Avro's resolving decoder. Tests hold the bytes equal to the generated class's and to
 * the released versions'.
 */
public final class ModelSerde implements Serde<Model> {
  static {
    AvroSafety.install();
  }

  private static final long FINGERPRINT = AvroValues.fingerprint(ModelState.getClassSchema());
  /**
   * One neuron is stored as version 2, the current schema without the layers of a network: a
   * service without hidden layers writes the very bytes it wrote before networks existed.
   */
  private static final long NEURON_FINGERPRINT = AvroValues.fingerprint(
      ReleasedSchemas.load(ReleasedSchemas.MODEL_STATE_V2));
  /** A network is stored as version 3, the version that brought networks. */
  private static final long NETWORK_FINGERPRINT = AvroValues.fingerprint(
      ReleasedSchemas.load(ReleasedSchemas.MODEL_STATE_V3));
  /** A model that scales, or a network over hashed inputs, is stored as version 5. */
  private static final long SCALING_FINGERPRINT = AvroValues.fingerprint(
      ReleasedSchemas.load(ReleasedSchemas.MODEL_STATE_V5));
  /** A hashed model is stored as version 4, the version that brought them. */
  private static final long HASHED_FINGERPRINT = AvroValues.fingerprint(
      ReleasedSchemas.load(ReleasedSchemas.MODEL_STATE_V4));

  /** A stored model and the settings it was stored under (empty when they were not recorded). */
  public record Stored(Model model, SortedMap<String, String> settings) {}

  private static final int[] NO_LAYERS = {};
  private static final double[] NO_DOUBLES = {};

  private final byte[] settings;
  private final AvroBinaryWriter writer = new AvroBinaryWriter(256);
  private BinaryDecoder decoder;

  /** @param settings written with every model (see {@code ModelSpec#stepSettings}) */
  public ModelSerde(final SortedMap<String, String> settings) {
    final AvroBinaryWriter encoded = new AvroBinaryWriter(64);
    encoded.writeStringMap(settings);
    this.settings = encoded.toByteArray();
  }

  /**
   * One reader per thread: the HTTP threads read a model per request, and a serde keeps buffers.
   */
  private static final ThreadLocal<ModelSerde> READERS =
      ThreadLocal.withInitial(() -> new ModelSerde(new TreeMap<>()));

  /**
   * A serde for reading (what it would write carries no settings), this thread's own: use it for
   * one read at a time.
   */
  public static ModelSerde reader() {
    return READERS.get();
  }

  public byte[] toBytes(final Model model) {
    final boolean network = model.layers() != null;
    final SparseWeights sparse = model.sparse();
    final StandardScaler scaler = model.scaler();
    final ModelEvaluation evaluation = model.evaluation();
    if (model.columns() != null) {
      return hashedNetwork(model, model.columns(), scaler, evaluation);
    }
    writer.start(evaluation != null ? FINGERPRINT : scaler != null ? SCALING_FINGERPRINT
        : sparse != null ? HASHED_FINGERPRINT : network ? NETWORK_FINGERPRINT
        : NEURON_FINGERPRINT);
    if (sparse != null) {
      writer.writeDoubles(sparse.weightsBySlot(), sparse.size(), NO_DOUBLES, 0);
    } else {
      writer.writeDoubles(model.weights());
    }
    writer.writeOptionalDouble(model.hasBias(), model.bias());
    writer.writeLong(model.count());
    writer.writeDouble(model.lossSum());
    if (sparse != null) {
      writer.writeDoubles(model.optimizerState(), model.optimizerState().length,
          sparse.statesBySlot(), sparse.size() * sparse.stateSlots());
    } else {
      writer.writeDoubles(model.optimizerState());
    }
    writer.writeEncoded(settings);
    final boolean later = scaler != null || evaluation != null;
    if (network || sparse != null || later) {
      writer.writeInts(network ? model.layers().sizes() : NO_LAYERS);
    }
    if (sparse != null || later) {
      writer.writeInt(model.hashBits());
      if (sparse != null) {
        writer.writeInts(sparse.coordinatesBySlot(), sparse.size());
      } else {
        writer.writeInts(NO_LAYERS);
      }
    }
    if (later) {
      writeScaler(scaler);
    }
    if (evaluation != null) {
      writeEvaluation(evaluation);
    }
    return writer.toByteArray();
  }

  /** scaleNames and scaleMoments: empty when the model does not scale. */
  private void writeScaler(final StandardScaler scaler) {
    if (scaler != null) {
      writeNames(scaler);
      writer.writeDoubles(scaler.moments(), Welford.SLOTS * scaler.size(), NO_DOUBLES, 0);
    } else {
      writer.writeLong(0);
      writer.writeLong(0);
    }
  }

  /** The evaluation as the union's second branch, an EvaluationState. */
  private void writeEvaluation(final ModelEvaluation evaluation) {
    writer.writeLong(1);
    writer.writeInt(evaluation.windowSize());
    writer.writeDoubles(evaluation.writeTotals());
    writer.writeDoubles(evaluation.writeWindows());
    final DriftDetector detector = evaluation.detector();
    if (detector == null) {
      writer.writeString(DriftSettings.NONE);
      writer.writeDoubles(NO_DOUBLES);
    } else {
      writer.writeString(detector.id());
      final double[] state = new double[DriftDetector.STATE];
      detector.write(state, 0);
      writer.writeDoubles(state);
    }
    writer.writeLong(evaluation.generation());
    writer.writeLong(evaluation.driftCount());
    writer.writeLongs(evaluation.drifts());
  }

  /** The EvaluationState of a model's stored settings' loss, or null for the union's null. */
  private ModelEvaluation readEvaluation(final SortedMap<String, String> stored)
      throws IOException {
    if (decoder.readIndex() == 0) {
      return null;
    }
    final int window = decoder.readInt();
    final double[] totals = AvroBinary.readDoubles(decoder);
    final double[] windows = AvroBinary.readDoubles(decoder);
    final String id = decoder.readString();
    final double[] state = AvroBinary.readDoubles(decoder);
    final DriftDetector detector = DriftSettings.of(id, false).newDetector();
    if (detector != null) {
      detector.read(state, 0);
    }
    return ModelEvaluation.restore(EvaluationKind.ofLoss(stored.get("loss")), window, totals,
        windows, detector, decoder.readLong(), decoder.readLong(),
        AvroBinary.readLongs(decoder));
  }

  /**
   * A network over hashed inputs, in the current version (it came with it): its touched columns
   * by slot and then its dense parameters in weights, its head state and then its columns' state
   * in optimizerState, the columns' coordinates in coordinates.
   */
  private byte[] hashedNetwork(final Model model, final SparseColumns columns,
      final StandardScaler scaler, final ModelEvaluation evaluation) {
    writer.start(evaluation != null ? FINGERPRINT : SCALING_FINGERPRINT);
    final int n = columns.size();
    writer.writeDoubles(columns.valuesBySlot(), n * columns.width(), model.weights(),
        model.weights().length);
    writer.writeOptionalDouble(false, 0.0);
    writer.writeLong(model.count());
    writer.writeDouble(model.lossSum());
    writer.writeDoubles(model.optimizerState(), model.optimizerState().length,
        columns.statesBySlot(), n * columns.width() * columns.stateSlots());
    writer.writeEncoded(settings);
    writer.writeInts(model.layers().sizes());
    writer.writeInt(model.hashBits());
    writer.writeInts(columns.coordinatesBySlot(), n);
    writeScaler(scaler);
    if (evaluation != null) {
      writeEvaluation(evaluation);
    }
    return writer.toByteArray();
  }

  /** The network over hashed inputs of {@link #hashedNetwork(Model, SparseColumns, ...)}. */
  private static Model hashedNetwork(final int bits, final Layers layers,
      final int[] coordinates, final double[] weights, final long count, final double lossSum,
      final double[] state, final SortedMap<String, String> settings) {
    final int slots = OptimizerKind.named(settings.getOrDefault("optimizer", "sgd")).slots();
    final int width = layers.units(1);
    final int columnValues = coordinates.length * width;
    final double[] parameters = Arrays.copyOfRange(weights, columnValues, weights.length);
    final int head = slots == 0 ? 0 : 1 + slots * parameters.length;
    if (state.length != head + columnValues * slots) {
      throw new IllegalArgumentException("a hashed network's optimizer state of " + state.length
          + " does not fit " + coordinates.length + " columns of " + width);
    }
    return Model.hashedNetwork(bits, layers, SparseColumns.of(width, slots, coordinates,
        Arrays.copyOf(weights, columnValues), Arrays.copyOfRange(state, head, state.length)),
        parameters, count, lossSum, Arrays.copyOf(state, head));
  }

  /** {@code array<string>} of the scaled features' names: one block, then the end. */
  private void writeNames(final StandardScaler scaler) {
    if (scaler.byName() && scaler.size() > 0) {
      writer.writeLong(scaler.size());
      for (int i = 0; i < scaler.size(); i++) {
        writer.writeString(scaler.name(i));
      }
    }
    writer.writeLong(0);
  }

  public Model fromBytes(final byte[] bytes) {
    return read(bytes).model();
  }

  public Stored read(final byte[] bytes) {
    final boolean judged = AvroValues.hasHeader(bytes, FINGERPRINT);
    final boolean current = judged || AvroValues.hasHeader(bytes, SCALING_FINGERPRINT);
    final boolean hashed = current || AvroValues.hasHeader(bytes, HASHED_FINGERPRINT);
    final boolean network = hashed || AvroValues.hasHeader(bytes, NETWORK_FINGERPRINT);
    if (!network && !AvroValues.hasHeader(bytes, NEURON_FINGERPRINT)) {
      return readEvolved(bytes);
    }
    decoder = DecoderFactory.get().binaryDecoder(bytes, AvroValues.HEADER_LENGTH,
        bytes.length - AvroValues.HEADER_LENGTH, decoder);
    try {
      final double[] weights = AvroBinary.readDoubles(decoder);
      final boolean hasBias = decoder.readIndex() == 1;
      final double bias = hasBias ? decoder.readDouble() : 0.0;
      final long count = decoder.readLong();
      final double lossSum = decoder.readDouble();
      final double[] optimizerState = AvroBinary.readDoubles(decoder);
      final SortedMap<String, String> stored = AvroBinary.readStringMap(decoder);
      final int[] layers = network ? AvroBinary.readInts(decoder) : NO_LAYERS;
      final int hashBits = hashed ? decoder.readInt() : 0;
      final int[] coordinates = hashed ? AvroBinary.readInts(decoder) : NO_LAYERS;
      final Model model;
      if (hashBits > 0 && layers.length > 0) {
        model = hashedNetwork(hashBits, new Layers(layers), coordinates, weights, count, lossSum,
            optimizerState, stored);
      } else if (hashBits > 0) {
        model = hashed(hashBits, coordinates, weights, hasBias, bias, count, lossSum,
            optimizerState, stored);
      } else if (layers.length == 0) {
        model = new Model(weights, hasBias, bias, count, lossSum, optimizerState);
      } else {
        model = Model.network(new Layers(layers), weights, count, lossSum, optimizerState);
      }
      final Model scaled = current ? model.withScaler(scaler(hashBits > 0, stored)) : model;
      return new Stored(judged ? scaled.judgedBy(readEvaluation(stored)) : scaled, stored);
    } catch (final IOException | RuntimeException e) {
      throw new SerializationException("stored model is not a ModelState", e);
    }
  }

  /** The stored scaler (its names, if by name, then its moments), or none when it scales none. */
  private StandardScaler scaler(final boolean byName, final SortedMap<String, String> stored)
      throws IOException {
    final List<String> names = new ArrayList<>();
    long read = 0;
    for (long block = decoder.readArrayStart(); block != 0; block = decoder.arrayNext()) {
      read += block;
      if (block < 0 || read > AvroSafety.MAX_ARRAY_ITEMS) {
        throw new IOException("a scaler of more than " + AvroSafety.MAX_ARRAY_ITEMS
            + " features");
      }
      for (long i = 0; i < block; i++) {
        names.add(decoder.readString());
      }
    }
    final double[] moments = AvroBinary.readDoubles(decoder);
    if (!FeatureScaling.STANDARD.id().equals(stored.get("scale"))) {
      return null;
    }
    return StandardScaler.of(byName ? names : null, moments);
  }

  /**
   * A hashed model from its stored fields: the optimizer state is the head (the step count and
   * the bias's state) and then each coordinate's slots, as many as its optimizer keeps.
   */
  private static Model hashed(final int bits, final int[] coordinates, final double[] weights,
      final boolean hasBias, final double bias, final long count, final double lossSum,
      final double[] state, final SortedMap<String, String> settings) {
    final int slots = OptimizerKind.named(settings.getOrDefault("optimizer", "sgd")).slots();
    final int head = slots == 0 ? 0 : 1 + (hasBias ? slots : 0);
    if (state.length != head + coordinates.length * slots) {
      throw new IllegalArgumentException("a hashed model's optimizer state of " + state.length
          + " does not fit " + coordinates.length + " coordinates of " + slots + " each");
    }
    return Model.hashed(bits, SparseWeights.of(slots, coordinates, weights,
        Arrays.copyOfRange(state, head, state.length)), hasBias, bias, count, lossSum,
        Arrays.copyOf(state, head));
  }

  private Stored readEvolved(final byte[] bytes) {
    final ModelState state;
    try {
      state = ReleasedSchemas.modelStates().decode(bytes);
    } catch (final IOException | RuntimeException e) {
      throw new SerializationException("stored model is not a ModelState", e);
    }
    final Double bias = state.getBias();
    final SortedMap<String, String> stored = new TreeMap<>();
    for (final Map.Entry<String, String> e : state.getSettings().entrySet()) {
      stored.put(e.getKey(), e.getValue());
    }
    // released versions stored one neuron only
    return new Stored(new Model(AvroValues.array(state.getWeights()), bias != null,
        bias == null ? 0.0 : bias, state.getCount(), state.getLossSum(),
        AvroValues.array(state.getOptimizerState())), stored);
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
