package io.gradstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.optim.LrSchedule;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.query.ModelJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replay of JSON Lines events with named features (numbers, booleans, categories, nulls, absent
 * ones) and two interactions, hashed at 18 bits, against logistic SGD and FTRL-Proximal written in
 * this test over the vectors scikit-learn's FeatureHasher made of the same events
 * (hashing-sklearn.json, "stream").
 */
class HashedReplayTest {
  private static final double ETA = 0.2;
  private static final double ALPHA = 0.5;
  private static final double BETA = 1.0;
  private static final double L1 = 0.01;
  private static final double L2 = 0.1;

  private static JsonNode stream() throws IOException {
    try (InputStream in = HashedReplayTest.class.getResourceAsStream("/hashing-sklearn.json")) {
      return new ObjectMapper().readTree(in).get("stream");
    }
  }

  private static ModelSpec spec(final JsonNode stream, final OptimizerKind kind) {
    final List<FeatureHashing.Interaction> interactions = new ArrayList<>();
    for (final JsonNode pair : stream.get("interactions")) {
      interactions.add(new FeatureHashing.Interaction(pair.get(0).textValue(),
          pair.get(1).textValue()));
    }
    final int bits = stream.get("bits").intValue();
    final boolean ftrl = kind == OptimizerKind.FTRL;
    return new ModelSpec(1 << bits, true, Activation.SIGMOID, ftrl ? ALPHA : ETA, null, 0.0,
        Loss.LOGISTIC, new OptimizerSettings(kind, null, null, null, null, null, null,
            ftrl ? BETA : null, ftrl ? L1 : null, ftrl ? L2 : null, LrSchedule.CONSTANT, null,
            0), HiddenLayers.NONE, new FeatureHashing(bits, interactions, 50));
  }

  private static Map<String, Model> replay(final JsonNode stream, final ModelSpec spec)
      throws IOException {
    final StringBuilder lines = new StringBuilder();
    for (final JsonNode e : stream.get("events")) {
      final ObjectNode event = ModelJson.MAPPER.createObjectNode();
      event.put("key", e.get("key").textValue());
      event.set("features", e.get("features"));
      event.put("d", e.get("d").doubleValue());
      lines.append(event).append('\n');
    }
    final Replay replay = new Replay(spec);
    final List<String> bad = new ArrayList<>();
    replay.train(new StringReader(lines.toString()), (line, reason, detail) -> bad.add(reason));
    assertThat(bad).isEmpty();
    return replay.models();
  }

  @Test
  void sgdOnHashedEventsIsLogisticSgdOnScikitLearnsVectors() throws IOException {
    final JsonNode stream = stream();
    final Map<String, Model> models = replay(stream, spec(stream, OptimizerKind.SGD));
    final Map<String, Map<Integer, Double>> w = new HashMap<>();
    final Map<String, Double> b = new HashMap<>();
    for (final JsonNode e : stream.get("events")) {
      final String key = e.get("key").textValue();
      final Map<Integer, Double> wk = w.computeIfAbsent(key, k -> new HashMap<>());
      final Map<Integer, Double> x = FtrlProximalReference.vector(e);
      double net = b.getOrDefault(key, 0.0);
      for (final Map.Entry<Integer, Double> xi : x.entrySet()) {
        net += wk.getOrDefault(xi.getKey(), 0.0) * xi.getValue();
      }
      // ∂L/∂net of the log loss
      final double delta = FtrlProximalReference.sigmoid(net) - e.get("d").doubleValue();
      x.forEach((i, v) -> wk.put(i, wk.getOrDefault(i, 0.0) - ETA * delta * v));
      b.put(key, b.getOrDefault(key, 0.0) - ETA * delta);
    }
    assertSameModels(models, w, b, 100);
  }

  @Test
  void ftrlOnHashedEventsIsFtrlProximalOnScikitLearnsVectors() throws IOException {
    final JsonNode stream = stream();
    final Map<String, Model> models = replay(stream, spec(stream, OptimizerKind.FTRL));
    final FtrlProximalReference ftrl = FtrlProximalReference.train(stream.get("events"), "d",
        ALPHA, BETA, L1, L2);
    final Map<String, Map<Integer, Double>> w = ftrl.w();
    final Map<String, Double> b = ftrl.b();
    assertSameModels(models, w, b, 100);
    // L1 leaves some weights exactly 0: the JSON lists only the others
    final Model k0 = models.get("k0");
    final JsonNode json = ModelJson.of(k0);
    int zeros = 0;
    for (final Map.Entry<Integer, Double> e : w.get("k0").entrySet()) {
      if (e.getValue() == 0.0) {
        zeros++;
        assertThat(json.get("w").has(Integer.toString(e.getKey()))).isFalse();
      }
    }
    assertThat(zeros).isPositive();
    assertThat(json.get("w").size()).isEqualTo(w.get("k0").size() - zeros);
  }

  private static void assertSameModels(final Map<String, Model> models,
      final Map<String, Map<Integer, Double>> w, final Map<String, Double> b, final int count) {
    assertThat(models).hasSize(3);
    for (final Map.Entry<String, Model> m : models.entrySet()) {
      final Model model = m.getValue();
      assertThat(model.count()).isEqualTo(count);
      assertThat(model.hashBits()).isEqualTo(18);
      assertThat(model.bias()).isCloseTo(b.get(m.getKey()), within(1e-9));
      final Map<Integer, Double> expected = w.get(m.getKey());
      assertThat(model.sparse().size()).isEqualTo(expected.size());
      expected.forEach((i, wi) -> assertThat(model.sparse().weightAt(i))
          .as("%s w[%d]", m.getKey(), i).isCloseTo(wi, within(1e-9)));
      // the replay output: "hashBits" and "w" from coordinate to weight
      final JsonNode json = ModelJson.of(model);
      assertThat(json.get("hashBits").intValue()).isEqualTo(18);
      for (final Iterator<Map.Entry<String, JsonNode>> it = json.get("w").fields();
          it.hasNext(); ) {
        final Map.Entry<String, JsonNode> e = it.next();
        assertThat(e.getValue().doubleValue())
            .isEqualTo(model.sparse().weightAt(Integer.parseInt(e.getKey())));
      }
      final Model back = ModelJson.parse(json);
      assertThat(back.hashBits()).isEqualTo(18);
      assertThat(back.bias()).isEqualTo(model.bias());
      expected.forEach((i, wi) -> assertThat(back.sparse().weightAt(i))
          .isEqualTo(model.sparse().weightAt(i)));
    }
  }
}
