package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.avro.Prediction;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.events.EventEncoder;
import io.gradstream.events.EventFields;
import io.gradstream.events.JsonEventDecoder;
import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelAssert;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.Replay;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hashed models on the stream, unscaled and scaled, neurons and networks: JSON or Avro events
 * with named features
 * (scikit-learn's test stream; the x events, JSON in either case, are refused), with
 * predictions that wait for their labels and events refused for their reasons, give the models,
 * predictions and dead letters of replay, bit for bit, and the store keeps them across commits.
 */
class HashedTopologyTest {
  private static final FeatureHashing HASHING = new FeatureHashing(18,
      List.of(FeatureHashing.Interaction.parse("country:device"),
          FeatureHashing.Interaction.parse("amount:returning")), 7);

  private static final String TWICE = "\"amount\": 1, \"amount\": 2";

  private static String lines(final Random random, final FeatureScaling scaling)
      throws Exception {
    final JsonNode events;
    try (InputStream in = HashedTopologyTest.class.getResourceAsStream("/hashing-sklearn.json")) {
      events = new ObjectMapper().readTree(in).get("stream").get("events");
    }
    final StringBuilder out = new StringBuilder();
    int n = 0;
    for (final JsonNode e : events) {
      final ObjectNode event = ModelJson.MAPPER.createObjectNode();
      event.put("key", e.get("key").textValue());
      event.set("features", e.get("features"));
      event.put("eventTime", 1_000L * n);
      if (n % 10 == 3) {
        event.put("id", "p" + n); // a prediction, labelled two events later
        out.append(event).append('\n');
        final ObjectNode label = ModelJson.MAPPER.createObjectNode();
        label.put("key", e.get("key").textValue());
        label.put("id", "p" + n);
        label.put("d", e.get("d").doubleValue());
        label.put("eventTime", 1_000L * n + 2);
        out.append(label).append('\n');
      } else {
        event.put("d", e.get("d").doubleValue());
        out.append(event).append('\n');
      }
      n++;
      if (random.nextInt(20) == 0) { // one refused for each reason now and then
        out.append("{\"key\": \"k1\", \"x\": [1], \"d\": 1}\n");
        out.append("{\"key\": \"k2\", \"features\": {\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4, "
            + "\"e\": 5, \"f\": 6, \"g\": 7, \"h\": 8}, \"d\": 1}\n");
        if (scaling != FeatureScaling.NONE) {
          out.append("{\"key\": \"k0\", \"features\": {" + TWICE + "}, \"d\": 1}\n");
        }
        // refused by the loss: the scaler must not have taken its amount
        out.append("{\"key\": \"k0\", \"features\": {\"amount\": 1e6}, \"d\": 2}\n");
      }
    }
    return out.toString();
  }

  @ParameterizedTest
  @CsvSource({"SGD, NONE, 0", "ADAGRAD, NONE, 0", "FTRL, NONE, 0", "SGD, STANDARD, 0",
      "FTRL, STANDARD, 0", "SGD, NONE, 4", "ADAGRAD, STANDARD, 3"})
  void streamAndReplayGiveTheSameModelsPredictionsAndDeadLetters(final OptimizerKind kind,
      final FeatureScaling scaling, final int hidden) throws Exception {
    final ModelSpec spec = new ModelSpec(1 << 18, hidden == 0, Activation.SIGMOID,
        kind == OptimizerKind.FTRL ? 0.5 : 0.1, null, 0.0, Loss.LOGISTIC,
        OptimizerSettings.of(kind), hidden == 0 ? HiddenLayers.NONE
            : HiddenLayers.of(new int[] {hidden}, Activation.TANH, 42L), HASHING, scaling);
    final String lines = lines(new Random(4), scaling);
    final EventRules rules = EventRules.of(LabelTtl.defaults());
    final Replay replay = new Replay(spec, rules);
    final List<Double> served = new ArrayList<>();
    replay.predictionsTo((key, id, y, step) -> served.add(y));
    final List<String> refused = new ArrayList<>();
    replay.train(new StringReader(lines), (line, reason, detail) -> refused.add(reason));
    final List<String> reasons = new ArrayList<>(List.of("wrong-input", "too-many-terms",
        "label-out-of-range"));
    if (scaling != FeatureScaling.NONE) {
      reasons.add("duplicate-feature");
    }
    assertThat(refused).containsAll(reasons).containsOnlyElementsOf(reasons);

    for (final InputFormat format : List.of(InputFormat.AVRO, InputFormat.JSON)) {
      try (TopologyHarness stream = new TopologyHarness(spec, rules, format, Map.of())) {
        final JsonEventDecoder json = new JsonEventDecoder();
        final EventEncoder avro = EventEncoder.avro();
        final EventFields event = new EventFields();
        for (final String line : lines.split("\n")) {
          final String key = ModelJson.MAPPER.readTree(line).get("key").textValue();
          json.decode(line, event);
          // an Avro map cannot name a feature twice: that line goes as JSON, undecodable there
          stream.send(key, format == InputFormat.AVRO && !line.contains("\"x\"")
              && !line.contains(TWICE) ? avro.encode(event)
              : line.getBytes(StandardCharsets.UTF_8));
        }
        for (final Map.Entry<String, Model> e : replay.models().entrySet()) {
          ModelAssert.assertBitIdentical(e.getKey() + " " + kind, stream.model(e.getKey()),
              e.getValue());
        }
        final List<Prediction> predictions = stream.readPredictions();
        assertThat(predictions).extracting(Prediction::getY).containsExactlyElementsOf(served);
        final List<TrainingMetric> metrics = stream.readMetrics();
        assertThat(metrics).hasSize((int) replay.models().values().stream()
            .mapToLong(Model::count).sum());
        assertThat(metrics).allSatisfy(m -> {
          assertThat(m.getWeights()).isEmpty(); // coordinates are hashes: no per-weight arrays
          assertThat(m.getGradient()).isEmpty();
          assertThat(m.getGradientNorm()).isNotNegative(); // 0 where the sigmoid saturates
        });
        assertThat(metrics).anySatisfy(m -> assertThat(m.getGradientNorm()).isPositive());
        final List<TestRecord<byte[], byte[]>> dead = stream.deadLetters.readRecordsToList();
        assertThat(dead).extracting(r -> TopologyHarness.header(r, DeadLetterHeaders.REASON))
            .as(format.toString()).containsExactlyElementsOf(format == InputFormat.JSON ? refused
                : refused.stream().map(r -> r.equals("wrong-input")
                    || r.equals("duplicate-feature") ? "undecodable" : r).toList());
      }
    }
  }
}
