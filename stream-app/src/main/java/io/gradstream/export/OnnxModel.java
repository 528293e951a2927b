package io.gradstream.export;

import com.google.protobuf.ByteString;
import io.gradstream.learn.Activation;
import io.gradstream.learn.HashedNetwork;
import io.gradstream.learn.Layers;
import io.gradstream.learn.Model;
import io.gradstream.learn.features.StandardScaler;
import io.gradstream.learn.features.Welford;
import io.gradstream.onnx.OnnxProto.AttributeProto;
import io.gradstream.onnx.OnnxProto.GraphProto;
import io.gradstream.onnx.OnnxProto.ModelProto;
import io.gradstream.onnx.OnnxProto.NodeProto;
import io.gradstream.onnx.OnnxProto.OperatorSetIdProto;
import io.gradstream.onnx.OnnxProto.TensorProto;
import io.gradstream.onnx.OnnxProto.TensorShapeProto;
import io.gradstream.onnx.OnnxProto.TypeProto;
import io.gradstream.onnx.OnnxProto.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SortedMap;

/**
 * One dense model as an ONNX graph in float64, computing what gradstream predicts for a batch of
 * x: input {@code x} [N, n]; a model with a scaler first standardizes each column with the
 * moments it has now ((x − mean)·1/σ, 0 where σ is 0); then each layer is one Gemm with its
 * weights as stored (units × inputs, so transB = 1) and biases, and its activation. One output
 * unit gives {@code y} [N, 1]; K classes give {@code probabilities} [N, K] (Softmax of the last
 * layer's scores) and {@code label} [N] (the index of the largest, int64).
 *
 * <p>A hashed model's input is its hashed vector, as its nonzero coordinates and their values:
 * {@code indices} [N, k] (int64) and {@code values} [N, k] (padded with any index and value 0),
 * what scikit-learn's FeatureHasher gives for the event's terms; ONNX's standard operators do not
 * hash. The first layer gathers the coordinates' weights (a neuron's, or a network's columns of
 * its first layer, the untouched ones as they start) from a dense table of all 2^B.
 */
public final class OnnxModel {
  /** ONNX IR version 8 with opset 13: every operator used here, loadable by onnxruntime 1.10+. */
  static final long IR_VERSION = 8;
  static final long OPSET = 13;
  public static final String INPUT = "x";
  public static final String OUTPUT = "y";
  public static final String PROBABILITIES = "probabilities";
  public static final String LABEL = "label";
  public static final String INDICES = "indices";
  public static final String VALUES = "values";
  /** A larger dense table than this would not fit one ONNX file (protobuf's 2 GiB). */
  static final long MAX_TABLE_BYTES = 1L << 30;

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private int names;

  private OnnxModel(final String key) {
    graph.setName(key);
  }

  /**
   * The ONNX bytes of {@code model} as stored under {@code key}, stepped under {@code settings}.
   *
   * @throws IllegalArgumentException when the model cannot be exported (hashed, or its settings
   *     do not name its activation)
   */
  public static byte[] of(final String key, final Model model,
      final SortedMap<String, String> settings, final String producerVersion) {
    final String activation = settings.get("activation");
    if (activation == null) {
      throw new IllegalArgumentException("model " + key + " does not say its activation (it was "
          + "stored before the settings were)");
    }
    final OnnxModel onnx = new OnnxModel(key);
    if (model.hashBits() > 0) {
      onnx.hashed(key, model, settings, Activation.fromId(activation));
      return onnx.bytes(key, producerVersion);
    }
    final Layers layers = model.layers();
    final int features = layers == null ? model.features() : layers.inputs();
    onnx.graph.addInput(tensor(INPUT, TensorProto.DataType.DOUBLE, features));
    String x = INPUT;
    if (model.scaler() != null) {
      x = onnx.standardized(x, model.scaler(), features);
    }
    if (layers == null) {
      final double[] w = model.weights();
      onnx.output(onnx.gemm(x, w, 0, 1, features, new double[] {model.bias()}, 0),
          Activation.fromId(activation));
    } else {
      onnx.network(x, model.weights(), layers, Activation.fromId(activation),
          Activation.fromId(settings.getOrDefault("hidden-activation", "tanh")));
    }
    return onnx.bytes(key, producerVersion);
  }

  private byte[] bytes(final String key, final String producerVersion) {
    return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("gradstream")
        .setProducerVersion(producerVersion).setDocString("gradstream model " + key)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph).build().toByteArray();
  }

  /**
   * A hashed neuron or network: Σₖ valuesₖ·W[indicesₖ] from the dense table W of the first
   * layer (2^B rows of h₁, or of 1 for a neuron), plus the biases, then as a dense model.
   */
  private void hashed(final String key, final Model model, final SortedMap<String, String> settings,
      final Activation output) {
    if (!"none".equals(settings.getOrDefault("scale", "none"))) {
      throw new IllegalArgumentException("model " + key + " scales its numbers by name before "
          + "hashing them, which its ONNX graph cannot do: only hashed models without --scale "
          + "are exported");
    }
    final Layers layers = model.layers();
    final int width = layers == null ? 1 : layers.units(1);
    if (8L * width << model.hashBits() > MAX_TABLE_BYTES) {
      throw new IllegalArgumentException("model " + key + "'s first layer, 2^"
          + model.hashBits() + " × " + width + " weights, is too large for one ONNX file");
    }
    graph.addInput(tensor(INDICES, TensorProto.DataType.INT64, -1));
    graph.addInput(tensor(VALUES, TensorProto.DataType.DOUBLE, -1));
    final double[] table;
    if (layers == null) {
      table = new double[1 << model.hashBits()];
      for (int c = 0; c < table.length; c++) {
        table[c] = model.sparse().weightAt(c);
      }
    } else {
      table = HashedNetwork.firstLayer(model, Long.parseLong(settings.get("init-seed")));
    }
    final String gathered = next();
    graph.addNode(node("Gather", new String[] {initializer(table, 1L << model.hashBits(), width),
        INDICES}, gathered));
    final String columns = next();
    graph.addNode(node("Unsqueeze", new String[] {VALUES, longs(2)}, columns));
    final String terms = next();
    graph.addNode(node("Mul", new String[] {gathered, columns}, terms));
    final String summed = next();
    graph.addNode(node("ReduceSum", new String[] {terms, longs(1)}, summed)
        .addAttribute(intAttribute("keepdims", 0)));
    final String z = next();
    final double[] p = model.weights();
    graph.addNode(node("Add", new String[] {summed, initializer(layers == null
        ? new double[] {model.bias()} : Arrays.copyOf(p, width), width)}, z));
    if (layers == null) {
      output(z, output);
    } else {
      final Activation hidden = Activation.fromId(settings.getOrDefault("hidden-activation",
          "tanh"));
      network(activation(z, hidden, next()), Arrays.copyOfRange(p, width, p.length),
          HashedNetwork.tail(layers), output, hidden);
    }
  }

  private String longs(final long... values) {
    final String name = next();
    final TensorProto.Builder tensor = TensorProto.newBuilder().setName(name)
        .setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length);
    for (final long v : values) {
      tensor.addInt64Data(v);
    }
    graph.addInitializer(tensor);
    return name;
  }

  /** Each layer's Gemm and activation; softmax and argmax after K output units. */
  private void network(final String x, final double[] p, final Layers layers,
      final Activation output, final Activation hidden) {
    String a = x;
    final int depth = layers.count();
    final boolean classes = layers.outputs() > 1;
    for (int l = 1; l <= depth; l++) {
      final int units = layers.units(l);
      final String z = gemm(a, p, layers.weightsAt(l), units, layers.units(l - 1), p,
          layers.biasesAt(l));
      if (l < depth) {
        a = activation(z, hidden, next());
      } else if (classes) {
        graph.addNode(node("Softmax", new String[] {z}, PROBABILITIES)
            .addAttribute(intAttribute("axis", 1)));
        graph.addNode(node("ArgMax", new String[] {PROBABILITIES}, LABEL)
            .addAttribute(intAttribute("axis", 1)).addAttribute(intAttribute("keepdims", 0)));
        graph.addOutput(tensor(PROBABILITIES, TensorProto.DataType.DOUBLE, units));
        graph.addOutput(tensor(LABEL, TensorProto.DataType.INT64));
      } else {
        output(z, output);
      }
    }
  }

  /** f(z) as the one output {@code y} [N, 1]. */
  private void output(final String z, final Activation f) {
    activation(z, f, OUTPUT);
    graph.addOutput(tensor(OUTPUT, TensorProto.DataType.DOUBLE, 1));
  }

  /** (x − mean)·(1/σ) per column, as {@link Welford#standardize}; 0 where σ is 0. */
  private String standardized(final String x, final StandardScaler scaler, final int features) {
    final double[] moments = scaler.moments();
    final double[] mean = new double[features];
    final double[] inverse = new double[features];
    for (int i = 0; i < features; i++) {
      final int at = Welford.SLOTS * i;
      final double variance = Welford.variance(moments, at);
      mean[i] = Welford.mean(moments, at);
      inverse[i] = variance > 0.0 ? 1.0 / Math.sqrt(variance) : 0.0;
    }
    final String centered = next();
    graph.addNode(node("Sub", new String[] {x, initializer(mean, features)}, centered));
    final String scaled = next();
    graph.addNode(node("Mul", new String[] {centered, initializer(inverse, features)}, scaled));
    return scaled;
  }

  /**
   * a·Wᵀ + b for W of {@code units} rows of {@code inputs} at {@code w[wAt]} and b at
   * {@code b[bAt]}; the name of its output.
   */
  private String gemm(final String a, final double[] w, final int wAt, final int units,
      final int inputs, final double[] b, final int bAt) {
    final double[] weights = new double[units * inputs];
    System.arraycopy(w, wAt, weights, 0, weights.length);
    final double[] biases = new double[units];
    System.arraycopy(b, bAt, biases, 0, units);
    final String weightsName = initializer(weights, units, inputs);
    final String biasesName = initializer(biases, units);
    final String out = next();
    graph.addNode(node("Gemm", new String[] {a, weightsName, biasesName}, out)
        .addAttribute(intAttribute("transB", 1)));
    return out;
  }

  /** f(z) into {@code out}: the ONNX operator of each of gradstream's activations. */
  private String activation(final String z, final Activation f, final String out) {
    switch (f) {
      case IDENTITY -> graph.addNode(node("Identity", new String[] {z}, out));
      case SIGMOID -> graph.addNode(node("Sigmoid", new String[] {z}, out));
      case TANH -> graph.addNode(node("Tanh", new String[] {z}, out));
      // max(z, 0) and max(z, 0.01·z): Max takes doubles in every runtime, Relu and LeakyRelu
      // not in all
      case RELU -> graph.addNode(node("Max", new String[] {z, initializer(new double[] {0.0})},
          out));
      case LEAKY_RELU -> {
        final String slope = next();
        graph.addNode(node("Mul", new String[] {z,
            initializer(new double[] {Activation.LEAKY_SLOPE})}, slope));
        graph.addNode(node("Max", new String[] {z, slope}, out));
      }
      default -> throw new IllegalArgumentException("no ONNX operator for " + f.id());
    }
    return out;
  }

  private String initializer(final double[] values, final long... dims) {
    final String name = next();
    final ByteBuffer bytes = ByteBuffer.allocate(8 * values.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    for (final double v : values) {
      bytes.putDouble(v);
    }
    final TensorProto.Builder tensor = TensorProto.newBuilder().setName(name)
        .setDataType(TensorProto.DataType.DOUBLE_VALUE)
        .setRawData(ByteString.copyFrom(bytes.array()));
    for (final long d : dims) {
      tensor.addDims(d);
    }
    graph.addInitializer(tensor);
    return name;
  }

  private String next() {
    return "t" + names++;
  }

  private static NodeProto.Builder node(final String op, final String[] inputs,
      final String output) {
    final NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(op + "_" + output)
        .addOutput(output);
    for (final String input : inputs) {
      node.addInput(input);
    }
    return node;
  }

  private static AttributeProto intAttribute(final String name, final long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
        .setI(value).build();
  }

  /** A tensor of {@code type} shaped [N, widths...]: N, the batch, is left to the caller. */
  private static ValueInfoProto tensor(final String name, final TensorProto.DataType type,
      final int... widths) {
    final TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
    for (final int width : widths) {
      // −1: a width left to the caller too (a hashed event's number of terms)
      shape.addDim(width < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("k")
          : TensorShapeProto.Dimension.newBuilder().setDimValue(width));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber())
            .setShape(shape))).build();
  }
}
