package io.gradstream.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelAssert;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.LrSchedule;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.replay.Replay;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import io.gradstream.stream.ModelSerde;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What {@code gradstream export} writes imports as the very model it was: a hashed FTRL model
 * with its per-coordinate state (those L1 holds at 0 too) and its scaler, which steps on the
 * same; one exported without them is stored whole, with a fresh state.
 */
class ExportedModelTest {
  private static final ModelSpec FTRL = new ModelSpec(1 << 12, true, Activation.SIGMOID, 0.5,
      null, 0.0, Loss.LOGISTIC, new OptimizerSettings(OptimizerKind.FTRL, null, null, null, null,
          null, null, 1.0, 0.2, 0.1, LrSchedule.CONSTANT, null, 0), HiddenLayers.NONE,
      new FeatureHashing(12, List.of(FeatureHashing.Interaction.parse("a:c")), 20),
      FeatureScaling.STANDARD);

  private static String events(final int n, final long seed) {
    final Random random = new Random(seed);
    final StringBuilder lines = new StringBuilder();
    for (int i = 0; i < n; i++) {
      lines.append("{\"key\": \"k\", \"features\": {\"a\": ").append(random.nextGaussian())
          .append(", \"b\": ").append(10 * random.nextDouble()).append(", \"c\": \"v")
          .append(random.nextInt(30)).append("\"}, \"d\": ").append(random.nextInt(2))
          .append("}\n");
    }
    return lines.toString();
  }

  private static Model trained(final String lines) throws IOException {
    final Replay replay = new Replay(FTRL);
    replay.train(new StringReader(lines), (line, reason, detail) -> {
      throw new AssertionError(reason);
    });
    return replay.models().get("k");
  }

  @Test
  void aHashedFtrlModelImportsWithEveryCoordinatesStateAndItsScaler() throws Exception {
    final Model model = trained(events(200, 1));
    final ObjectNode line = ModelJson.exported("k", model, FTRL.stepSettings());
    // L1 holds some touched coordinates at 0: "w" leaves them out, their state is there
    assertThat(line.get("coordinateState").size()).isEqualTo(model.sparse().size())
        .isGreaterThan(line.get("w").size());
    final ModelJson.Exported back = ModelJson.parseExported(ModelJson.MAPPER.readTree(
        line.toString()));
    // the same model (its coordinates may sit in other slots), and so once stored and read back
    ModelAssert.assertBitIdentical("imported", back.model(), model);
    final ModelSerde serde = new ModelSerde(FTRL.stepSettings());
    ModelAssert.assertBitIdentical("stored", serde.fromBytes(serde.toBytes(back.model())), model);
    assertThat(back.settings()).isEqualTo(FTRL.stepSettings());
    // and it steps on exactly as the original
    final String more = events(50, 2);
    final Replay imported = new Replay(FTRL, new EventRules(LabelTtl.defaults(),
        Double.POSITIVE_INFINITY, Map.of("k", back.model())));
    final Replay from = new Replay(FTRL, new EventRules(LabelTtl.defaults(),
        Double.POSITIVE_INFINITY, Map.of("k", model)));
    imported.train(new StringReader(more), (l, r, d) -> { });
    from.train(new StringReader(more), (l, r, d) -> { });
    assertThat(imported.models().get("k").count()).isEqualTo(250);
    ModelAssert.assertBitIdentical("stepped after import", imported.models().get("k"),
        from.models().get("k"));
  }

  @Test
  void aHashedModelExportedWithoutItsStateIsStoredWhole() throws Exception {
    final Model model = trained(events(30, 3));
    final ObjectNode line = ModelJson.exported("k", model, FTRL.stepSettings());
    line.remove("coordinateState");
    line.remove("scale");
    line.putArray("optimizerState");
    final Model back = ModelJson.parseExported(line).model();
    assertThat(back.sparse().stateSlots()).isEqualTo(2);
    assertThat(back.optimizerState()).containsOnly(0.0).hasSize(3);
    assertThat(back.scaler().size()).isZero();
    final ModelSerde serde = new ModelSerde(FTRL.stepSettings());
    final Model stored = serde.fromBytes(serde.toBytes(back));
    assertThat(stored.sparse().size()).isEqualTo(back.sparse().size());
    assertThat(stored.scaler()).isNotNull();
    line.putArray("optimizerState").add(1.0);
    assertThatThrownBy(() -> ModelJson.parseExported(line))
        .hasMessageContaining("has 3 values (the step count and the bias's state), got 1");
    line.remove("optimizerState");
    line.putObject("coordinateState").putArray("7").add(1.0);
    assertThatThrownBy(() -> ModelJson.parseExported(line))
        .hasMessageContaining("\"coordinateState\" holds 2 values a coordinate under ftrl, got 1 "
            + "at 7");
    line.putObject("coordinateState").putArray("4096").add(1.0).add(2.0);
    assertThatThrownBy(() -> ModelJson.parseExported(line))
        .hasMessageContaining("\"coordinateState\" has the coordinate 4096, outside 0..4095");
  }

  @Test
  void aDenseModelWithAdamAndAScalerImportsInTheSameBytes() throws Exception {
    final ModelSpec adam = new ModelSpec(2, true, Activation.TANH, 0.01, null, 0.0,
        Loss.SQUARED, OptimizerSettings.of(OptimizerKind.ADAM), HiddenLayers.NONE,
        FeatureHashing.NONE, FeatureScaling.STANDARD);
    final Replay replay = new Replay(adam);
    replay.train(new StringReader("""
        {"key": "k", "x": [1, 20], "d": 0.5}
        {"key": "k", "x": [3, 10], "d": -0.5}
        {"key": "k", "x": [2, 40], "d": 0.1}
        """), (line, reason, detail) -> { });
    final Model model = replay.models().get("k");
    final Model back = ModelJson.parseExported(ModelJson.MAPPER.readTree(ModelJson.exported("k",
        model, adam.stepSettings()).toString())).model();
    final ModelSerde serde = new ModelSerde(adam.stepSettings());
    assertThat(serde.toBytes(back)).isEqualTo(serde.toBytes(model));
  }
}
