package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.avro.ModelState;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.replay.Replay;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/**
 * A model the release before evaluation stored (ModelState version 5, bytes of cfa16c4) is read,
 * written back byte for byte while models are not judged, and judged from its next step on: then
 * it is stored in version 6, which any Avro reader of the released schemas resolves.
 */
class ReleasedModelStateV5Test {
  private static final ModelSpec SPEC = new ModelSpec(2, true, Activation.IDENTITY, 0.1, null,
      0.0, Loss.SQUARED, OptimizerSettings.sgd(), HiddenLayers.NONE, FeatureHashing.NONE,
      FeatureScaling.STANDARD);
  private static final String EVENTS = "{\"key\":\"k\",\"x\":[1.0,2.0],\"d\":1.0}\n"
      + "{\"key\":\"k\",\"x\":[3.0,-1.0],\"d\":0.0}\n";

  @Test
  void aReleasedModelIsReadWrittenBackAndThenJudged() throws Exception {
    final byte[] released = Fixtures.hexLines("/released/model-state-v5.hex").get(0);
    final ModelSerde serde = new ModelSerde(SPEC.stepSettings());
    final ModelSerde.Stored stored = serde.read(released);
    assertThat(stored.settings()).isEqualTo(SPEC.stepSettings());
    final Model model = stored.model();
    assertThat(model.count()).isEqualTo(2);
    assertThat(model.scaler().size()).isEqualTo(2);
    assertThat(model.evaluation()).isNull();
    assertThat(serde.toBytes(model)).isEqualTo(released);
    // replay of the same events, not judged, stores the same bytes
    final Replay replay = new Replay(SPEC);
    replay.train(new StringReader(EVENTS), (line, reason, detail) -> { });
    assertThat(serde.toBytes(replay.models().get("k"))).isEqualTo(released);

    // judged: version 6, read by this serde and by any reader of the released schemas
    final Replay judged = new Replay(SPEC,
        EventRules.of(LabelTtl.defaults()).judging(EvaluationSpec.defaults()));
    judged.train(new StringReader(EVENTS), (line, reason, detail) -> { });
    final byte[] current = serde.toBytes(judged.models().get("k"));
    assertThat(current).isNotEqualTo(released);
    final Model back = serde.fromBytes(current);
    assertThat(back.evaluation().total().count()).isEqualTo(2);
    assertThat(back.evaluation().window().count()).isEqualTo(2);
    assertThat(back.evaluation().window().rmse()).isEqualTo(
        judged.models().get("k").evaluation().window().rmse());
    final ModelState decoded = ReleasedSchemas.modelStates().decode(current);
    assertThat(decoded.getEvaluation().getWindow()).isEqualTo(1000);
    assertThat(decoded.getEvaluation().getTotals()).hasSize(10);
    assertThat(decoded.getEvaluation().getDetector()).isEqualTo("none");
    assertThat(decoded.getScaleMoments()).hasSize(6);
  }
}
