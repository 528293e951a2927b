package io.gradstream.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.evaluate.ModelEvaluation;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.replay.Replay;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import java.io.StringReader;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A judged model exported and read back: its totals, its detector's state (DDM's infinite
 * minimum included), generation and drifts come back exactly, so that it judges and resets as
 * the exported one; its windows start again at the import.
 */
class EvaluationJsonTest {
  private static final ModelSpec SPEC = new ModelSpec(1, true, Activation.SIGMOID, 0.05, null,
      0.0, Loss.LOGISTIC, OptimizerSettings.sgd());

  private static String events(final Random random, final int n, final double flip) {
    final StringBuilder lines = new StringBuilder();
    for (int i = 0; i < n; i++) {
      final double x = random.nextGaussian();
      final double d = (x > 0) != random.nextDouble() < flip ? 1 : 0;
      lines.append("{\"key\":\"k\",\"x\":[").append(x).append("],\"d\":").append(d)
          .append("}\n");
    }
    return lines.toString();
  }

  @Test
  void anExportedEvaluationGoesOnAsTheOriginal() throws Exception {
    final EvaluationSpec spec = new EvaluationSpec(20, DriftSettings.of("ddm", true));
    final Replay replay = new Replay(SPEC, EventRules.of(LabelTtl.defaults()).judging(spec));
    final Random random = new Random(3);
    final String before = events(random, 300, 0.05) + events(random, 300, 0.95);
    replay.train(new StringReader(before), (l, r, d) -> { });
    final Model original = replay.models().get("k");
    assertThat(original.evaluation().driftCount()).isPositive();
    final JsonNode line = ModelJson.MAPPER.readTree(ModelJson.exported("k", original,
        SPEC.stepSettings()).toString());
    assertThat(line.at("/evaluationState/detector").asText()).isEqualTo("ddm");
    final ModelJson.Exported back = ModelJson.parseExported(line);
    final ModelEvaluation read = back.model().evaluation();
    assertThat(read.total()).isEqualTo(original.evaluation().total());
    assertThat(read.servedTotal()).isEqualTo(original.evaluation().servedTotal());
    assertThat(read.generation()).isEqualTo(original.evaluation().generation());
    assertThat(read.drifts()).containsExactly(original.evaluation().drifts());
    assertThat(read.window().count()).as("the windows start again").isZero();
    final double[] detector = new double[4];
    final double[] expected = new double[4];
    read.detector().write(detector, 0);
    original.evaluation().detector().write(expected, 0);
    assertThat(detector).containsExactly(expected);

    // the same events after: the same drifts at the same steps, the same parameters
    final String after = events(random, 400, 0.5);
    final Replay continued = new Replay(SPEC, EventRules.of(LabelTtl.defaults()).judging(spec));
    continued.train(new StringReader("{\"key\":\"k\",\"control\":\"set\",\"model\":"
        + line + "}\n" + after), (l, r, d) -> { throw new AssertionError(r + ": " + d); });
    replay.train(new StringReader(after), (l, r, d) -> { });
    final Model a = replay.models().get("k");
    final Model b = continued.models().get("k");
    assertThat(b.evaluation().drifts()).containsExactly(a.evaluation().drifts());
    assertThat(b.evaluation().total()).isEqualTo(a.evaluation().total());
    assertThat(b.weights()).containsExactly(a.weights());
    assertThat(b.bias()).isEqualTo(a.bias());
  }

  @Test
  void aBadEvaluationStateIsSaidSo() throws Exception {
    final Replay replay = new Replay(SPEC, EventRules.of(LabelTtl.defaults())
        .judging(EvaluationSpec.defaults()));
    replay.train(new StringReader(events(new Random(1), 10, 0.1)), (l, r, d) -> { });
    final Model model = replay.models().get("k");
    final ObjectNode badWindow = ModelJson.exported("k", model, SPEC.stepSettings());
    ((ObjectNode) badWindow.get("evaluationState")).put("window", -3);
    assertThatThrownBy(() -> ModelJson.parseExported(badWindow)).hasMessageContaining("window");
    final ObjectNode badTotals = ModelJson.exported("k", model, SPEC.stepSettings());
    ((ObjectNode) badTotals.get("evaluationState")).putArray("totals").add(1);
    assertThatThrownBy(() -> ModelJson.parseExported(badTotals))
        .hasMessageContaining("totals holds 10 numbers");
    final ObjectNode badDetector = ModelJson.exported("k", model, SPEC.stepSettings());
    ((ObjectNode) badDetector.get("evaluationState")).put("detector", "adwin");
    assertThatThrownBy(() -> ModelJson.parseExported(badDetector))
        .hasMessageContaining("drift must be none, page-hinkley or ddm");
    final ObjectNode notAnObject = ModelJson.exported("k", model, SPEC.stepSettings());
    notAnObject.put("evaluationState", 3);
    assertThatThrownBy(() -> ModelJson.parseExported(notAnObject))
        .hasMessageContaining("is an object");
  }
}
