package io.gradstream.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import java.util.TreeMap;

/**
 * An exported model run by ONNX Runtime (Microsoft's, a runtime that shares no code with
 * gradstream) on a batch of x: each output by name, as Java arrays ({@code double[][]} for y and
 * probabilities, {@code long[]} for labels).
 */
public final class OnnxRuntimeRun {
  private OnnxRuntimeRun() {}

  public static Map<String, Object> outputs(final byte[] model, final double[][] x)
      throws OrtException {
    final OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor input = OnnxTensor.createTensor(env, x)) {
      return run(model, Map.of(OnnxModel.INPUT, input));
    }
  }

  /** A hashed model's outputs for events given as their coordinates and values. */
  public static Map<String, Object> outputs(final byte[] model, final long[][] indices,
      final double[][] values) throws OrtException {
    final OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor at = OnnxTensor.createTensor(env, indices);
        OnnxTensor by = OnnxTensor.createTensor(env, values)) {
      return run(model, Map.of(OnnxModel.INDICES, at, OnnxModel.VALUES, by));
    }
  }

  private static Map<String, Object> run(final byte[] model,
      final Map<String, OnnxTensor> inputs) throws OrtException {
    final OrtEnvironment env = OrtEnvironment.getEnvironment();
    final Map<String, Object> outputs = new TreeMap<>();
    try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
        OrtSession.Result result = session.run(inputs)) {
      for (final Map.Entry<String, OnnxValue> output : result) {
        outputs.put(output.getKey(), output.getValue().getValue());
      }
    }
    return outputs;
  }
}
