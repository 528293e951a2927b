package io.gradstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Layers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelAssert;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.LrSchedule;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.query.ModelJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replay with --scale standard against scaling-reference.json: each model's numbers standardized
 * with two-pass moments of its own training values so far, hashed by scikit-learn and trained by
 * torch (a hashed squared-loss neuron with SGD, a network on x with Adam), and FTRL-Proximal
 * written for the tests over the same vectors.
 */
class ScaledReplayTest {
  private static final double ALPHA = 0.5;
  private static final double BETA = 1.0;
  private static final double L1 = 0.01;
  private static final double L2 = 0.1;

  private static JsonNode reference() throws IOException {
    try (InputStream in = ScaledReplayTest.class.getResourceAsStream(
        "/scaling-reference.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static ModelSpec hashedSpec(final JsonNode hashed, final Activation activation,
      final Loss loss, final double rate, final OptimizerSettings optimizer) {
    final List<FeatureHashing.Interaction> interactions = new ArrayList<>();
    for (final JsonNode pair : hashed.get("interactions")) {
      interactions.add(new FeatureHashing.Interaction(pair.get(0).textValue(),
          pair.get(1).textValue()));
    }
    final int bits = hashed.get("bits").intValue();
    return new ModelSpec(1 << bits, true, activation, rate, null, 0.0, loss, optimizer,
        HiddenLayers.NONE, new FeatureHashing(bits, interactions, 50), FeatureScaling.STANDARD);
  }

  /**
   * The events as JSON Lines, their label from {@code label}; each split into a prediction and
   * its label when {@code delayed}.
   */
  private static Replay replay(final ModelSpec spec, final JsonNode events, final String label,
      final boolean delayed) throws IOException {
    final StringBuilder lines = new StringBuilder();
    int n = 0;
    for (final JsonNode e : events) {
      final ObjectNode event = ModelJson.MAPPER.createObjectNode();
      event.put("key", e.get("key").textValue());
      event.set(e.has("x") ? "x" : "features", e.get(e.has("x") ? "x" : "features"));
      if (delayed) {
        event.put("id", "p" + n);
        lines.append(event).append('\n');
        final ObjectNode labelOnly = ModelJson.MAPPER.createObjectNode();
        labelOnly.put("key", e.get("key").textValue());
        labelOnly.put("id", "p" + n++);
        labelOnly.put("d", e.get(label).doubleValue());
        lines.append(labelOnly).append('\n');
      } else {
        event.put("d", e.get(label).doubleValue());
        lines.append(event).append('\n');
      }
    }
    final Replay replay = new Replay(spec);
    final List<String> bad = new ArrayList<>();
    replay.train(new StringReader(lines.toString()), (line, reason, detail) ->
        bad.add(line + " " + reason + " " + detail));
    assertThat(bad).isEmpty();
    return replay;
  }

  @Test
  void hashedSquaredLossWithScalingIsTorchSgdOnScikitLearnsScaledVectors() throws IOException {
    final JsonNode hashed = reference().get("hashed");
    final JsonNode torch = hashed.get("sgdSquared");
    final ModelSpec spec = hashedSpec(hashed, Activation.IDENTITY, Loss.SQUARED,
        torch.get("lr").doubleValue(), OptimizerSettings.sgd());
    final Map<String, Model> models = replay(spec, hashed.get("events"), "d", false).models();
    assertThat(models).hasSize(3);
    for (final Map.Entry<String, JsonNode> expected : torch.get("models").properties()) {
      final Model model = models.get(expected.getKey());
      assertThat(model.count()).isEqualTo(100);
      assertThat(model.bias()).isCloseTo(expected.getValue().get("b").doubleValue(),
          within(1e-9));
      final JsonNode w = expected.getValue().get("w");
      assertThat(model.sparse().size()).isEqualTo(w.size());
      w.properties().forEach(wi -> assertThat(model.sparse()
          .weightAt(Integer.parseInt(wi.getKey()))).as("%s w[%s]", expected.getKey(),
              wi.getKey()).isCloseTo(wi.getValue().doubleValue(), within(1e-9)));
      // the scaler: amount is absent from a quarter of the events, age in all
      assertThat(model.scaler().size()).isEqualTo(2);
    }
    final JsonNode k0 = ModelJson.of(models.get("k0")).get("scale");
    assertThat(k0.get("age").get("count").longValue()).isEqualTo(100);
    assertThat(k0.get("amount").get("count").longValue()).isEqualTo(75);
  }

  @Test
  void hashedFtrlWithScalingIsFtrlProximalOnScikitLearnsScaledVectors() throws IOException {
    final JsonNode hashed = reference().get("hashed");
    final ModelSpec spec = hashedSpec(hashed, Activation.SIGMOID, Loss.LOGISTIC, ALPHA,
        new OptimizerSettings(OptimizerKind.FTRL, null, null, null, null, null, null, BETA, L1,
            L2, LrSchedule.CONSTANT, null, 0));
    final FtrlProximalReference ftrl = FtrlProximalReference.train(hashed.get("events"),
        "clicked", ALPHA, BETA, L1, L2);
    // trained directly, and through predictions whose labels come after them
    for (final boolean delayed : new boolean[] {false, true}) {
      final Replay replay = replay(spec, hashed.get("events"), "clicked", delayed);
      assertThat(replay.predicted()).isEqualTo(delayed ? 300 : 0);
      final Map<String, Model> models = replay.models();
      for (final Map.Entry<String, Model> m : models.entrySet()) {
        final Model model = m.getValue();
        assertThat(model.count()).isEqualTo(100);
        assertThat(model.bias()).as("delayed %s", delayed)
            .isCloseTo(ftrl.b().get(m.getKey()), within(1e-9));
        ftrl.w().get(m.getKey()).forEach((i, wi) -> assertThat(model.sparse().weightAt(i))
            .as("%s w[%d] delayed %s", m.getKey(), i, delayed).isCloseTo(wi, within(1e-9)));
      }
    }
  }

  /** An event refused for any reason leaves the scaler as it was, as it leaves the weights. */
  @Test
  void refusedEventsChangeNoScaler() throws IOException {
    final JsonNode hashed = reference().get("hashed");
    final ModelSpec spec = hashedSpec(hashed, Activation.SIGMOID, Loss.LOGISTIC, 0.1,
        OptimizerSettings.of(OptimizerKind.ADAGRAD));
    final Replay clean = replay(spec, hashed.get("events"), "clicked", false);
    final StringBuilder lines = new StringBuilder();
    final List<String> refusals = List.of(
        "{\"key\": \"k0\", \"features\": {\"amount\": 1e6, \"age\": 1}, \"d\": 2}",
        "{\"key\": \"k0\", \"features\": {\"amount\": 3, \"age\": \"NaN\"}, \"d\": 1}",
        "{\"key\": \"k1\", \"features\": {\"amount\": 3, \"amount\": 4}, \"d\": 1}",
        "{\"key\": \"k2\", \"features\": {\"age\": 3}, \"d\": \"NaN\"}",
        "{\"key\": \"k0\", \"features\": {\"amount\": 3, \"age\": 1}, \"id\": \"q\"}");
    int n = 0;
    for (final JsonNode e : hashed.get("events")) {
      final ObjectNode event = ModelJson.MAPPER.createObjectNode();
      event.put("key", e.get("key").textValue());
      event.set("features", e.get("features"));
      event.put("d", e.get("clicked").doubleValue());
      lines.append(event).append('\n').append(refusals.get(n++ % refusals.size())).append('\n');
    }
    final Replay noisy = new Replay(spec);
    final List<String> reasons = new ArrayList<>();
    noisy.train(new StringReader(lines.toString()), (line, reason, detail) -> reasons.add(reason));
    assertThat(reasons).containsOnly("label-out-of-range", "non-finite-feature",
        "duplicate-feature", "non-finite-label");
    assertThat(noisy.predicted()).isEqualTo(60);
    for (final Map.Entry<String, Model> m : clean.models().entrySet()) {
      ModelAssert.assertBitIdentical(m.getKey(), noisy.models().get(m.getKey()), m.getValue());
    }
  }

  @Test
  void aNetworkOnScaledXIsTorchAdamOnXStandardizedPerKey() throws IOException {
    final JsonNode dense = reference().get("dense");
    final int[] hidden = {dense.get("hidden").get(0).intValue()};
    final ModelSpec spec = new ModelSpec(3, false, Activation.IDENTITY,
        dense.get("lr").doubleValue(), null, 0.0, Loss.SQUARED,
        OptimizerSettings.of(OptimizerKind.ADAM),
        HiddenLayers.of(hidden, Activation.TANH, dense.get("seed").longValue()),
        FeatureHashing.NONE, FeatureScaling.STANDARD);
    for (final boolean delayed : new boolean[] {false, true}) {
      final Map<String, Model> models = replay(spec, dense.get("events"), "d", delayed).models();
      assertThat(models).hasSize(2);
      for (final Map.Entry<String, Model> m : models.entrySet()) {
        final Layers layers = m.getValue().layers();
        final double[] p = m.getValue().weights();
        final JsonNode expected = dense.get("models").get(m.getKey());
        for (int l = 1; l <= layers.count(); l++) {
          final JsonNode layer = expected.get(l - 1);
          final int in = layers.units(l - 1);
          for (int j = 0; j < layers.units(l); j++) {
            assertThat(p[layers.biasesAt(l) + j]).isCloseTo(
                layer.get("b").get(j).doubleValue(), within(1e-9));
            for (int i = 0; i < in; i++) {
              assertThat(p[layers.weightsAt(l) + j * in + i]).as("%s layer %d w[%d][%d]",
                  m.getKey(), l, j, i).isCloseTo(layer.get("w").get(j).get(i).doubleValue(),
                  within(1e-9));
            }
          }
        }
        assertThat(m.getValue().scaler().moments()[0]).isEqualTo(120);
      }
    }
  }
}
