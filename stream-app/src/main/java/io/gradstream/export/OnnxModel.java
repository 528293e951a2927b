package io.gradstream.export;

import com.google.protobuf.ByteString;
import io.gradstream.learn.Activation;
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
import java.util.SortedMap;

/**
 * One dense model as an ONNX graph in float64, computing what gradstream predicts for a batch of
 * x: input {@code x} [N, n]; a model with a scaler first standardizes each column with the
 * moments it has now ((x − mean)·1/σ, 0 where σ is 0); then each layer is one Gemm with its
 * weights as stored (units × inputs, so transB = 1) and biases, and its activation. One output
 * unit gives {@code y} [N, 1]; K classes give {@code probabilities} [N, K] (Softmax of the last
 * layer's scores) and {@code label} [N] (the index of the largest, int64). Hashed models are not
 * exported: their input is named features hashed, which ONNX's standard operators do not do.
 */
public final class OnnxModel {
  /** ONNX IR version 8 with opset 13: every operator used here, loadable by onnxruntime 1.10+. */
  static final long IR_VERSION = 8;
  static final long OPSET = 13;
  public static final String INPUT = "x";
  public static final String OUTPUT = "y";
  public static final String PROBABILITIES = "probabilities";
  public static final String LABEL = "label";

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
    if (model.hashBits() > 0) {
      throw new IllegalArgumentException("model " + key + " is hashed (--hash-bits): its input is "
          + "named features, which ONNX's standard operators cannot hash; only dense models are "
          + "exported");
    }
    final String activation = settings.get("activation");
    if (activation == null) {
      throw new IllegalArgumentException("model " + key + " does not say its activation (it was "
          + "stored before the settings were)");
    }
    final OnnxModel onnx = new OnnxModel(key);
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
    return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("gradstream")
        .setProducerVersion(producerVersion).setDocString("gradstream model " + key)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(onnx.graph).build().toByteArray();
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
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber())
            .setShape(shape))).build();
  }
}
