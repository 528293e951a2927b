package io.gradstream.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.learn.evaluate.DriftDetector;
import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.evaluate.ModelEvaluation;
import java.util.SortedMap;

/**
 * A judged model's evaluation as {@code gradstream export} writes it ({@code "evaluationState"})
 * and import reads it: its totals, its drift detector's state, its generation and drifts,
 * exactly, so that an imported model is judged and reset as the exported one would have been.
 * Its windows' samples stay behind: an imported model's windows start at its import.
 */
final class EvaluationJson {
  private EvaluationJson() {}

  static void putState(final ObjectNode node, final ModelEvaluation evaluation) {
    final ObjectNode state = node.putObject("evaluationState");
    state.put("window", evaluation.windowSize());
    putNumbers(state.putArray("totals"), evaluation.writeTotals());
    final DriftDetector detector = evaluation.detector();
    state.put("detector", detector == null ? DriftSettings.NONE : detector.id());
    final double[] detectorState = new double[detector == null ? 0 : DriftDetector.STATE];
    if (detector != null) {
      detector.write(detectorState, 0);
    }
    putNumbers(state.putArray("detectorState"), detectorState);
    state.put("generation", evaluation.generation());
    state.put("driftCount", evaluation.driftCount());
    final ArrayNode drifts = state.putArray("drifts");
    for (final long step : evaluation.drifts()) {
      drifts.add(step);
    }
  }

  /** An infinite value (DDM's minimum before it has one) as null: JSON has no infinity. */
  private static void putNumbers(final ArrayNode into, final double[] values) {
    for (final double v : values) {
      if (Double.isInfinite(v)) {
        into.addNull();
      } else {
        into.add(v);
      }
    }
  }

  /**
   * The evaluation of {@link #putState}, of a model stepped under {@code settings}; null when
   * {@code state} is absent.
   *
   * @throws IllegalArgumentException when it is not what export writes
   */
  static ModelEvaluation parseState(final JsonNode state,
      final SortedMap<String, String> settings) {
    if (state == null || state.isNull()) {
      return null;
    }
    if (!state.isObject()) {
      throw new IllegalArgumentException("\"evaluationState\" is an object, as gradstream "
          + "export writes it");
    }
    final int window = state.path("window").asInt(-1);
    if (window < 0 || window > EvaluationSpec.MAX_WINDOW) {
      throw new IllegalArgumentException("\"evaluationState\" window is between 0 and "
          + EvaluationSpec.MAX_WINDOW + ", got " + state.path("window"));
    }
    final double[] totals = numbers(state.path("totals"), "totals", 10);
    final String id = state.path("detector").asText(DriftSettings.NONE);
    final DriftDetector detector;
    try {
      detector = DriftSettings.of(id, false).newDetector();
    } catch (final IllegalArgumentException e) {
      throw new IllegalArgumentException("\"evaluationState\" " + e.getMessage());
    }
    if (detector != null) {
      detector.read(numbers(state.path("detectorState"), "detectorState",
          DriftDetector.STATE), 0);
    }
    final JsonNode steps = state.path("drifts");
    final long[] drifts = new long[steps.isArray() ? steps.size() : 0];
    for (int i = 0; i < drifts.length; i++) {
      drifts[i] = steps.get(i).asLong();
    }
    // the windows' samples stay behind: both start again at the next sample
    return ModelEvaluation.restore(EvaluationKind.ofLoss(settings.get("loss")), window, totals,
        null, detector, state.path("generation").asLong(0),
        state.path("driftCount").asLong(drifts.length), drifts);
  }

  /** {@code size} numbers; null is infinity. */
  private static double[] numbers(final JsonNode array, final String what, final int size) {
    if (!array.isArray() || array.size() != size) {
      throw new IllegalArgumentException("\"evaluationState\" " + what + " holds " + size
          + " numbers");
    }
    final double[] values = new double[size];
    for (int i = 0; i < size; i++) {
      final JsonNode v = array.get(i);
      if (!v.isNull() && !v.isNumber()) {
        throw new IllegalArgumentException("\"evaluationState\" " + what + "[" + i
            + "] is not a number: " + v);
      }
      values[i] = v.isNull() ? Double.POSITIVE_INFINITY : v.asDouble();
    }
    return values;
  }
}
