package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.Drift;
import io.gradstream.avro.EvaluationState;
import io.gradstream.avro.ModelState;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.evaluate.ModelEvaluation;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.Replay;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Judged models on the stream: the evaluation-reference streams (a change of teacher half-way,
 * predictions labelled later) give each model's evaluation, generation and drifts of replay, bit
 * for bit, with its window's full segments read back from the windows store; with one live model
 * the models are written and read back at every event. Each drift is a Drift record on its
 * topic, once; the stored model is the generated ModelState's bytes.
 */
class EvaluationTopologyTest {
  private static JsonNode reference(final int index) throws Exception {
    try (InputStream in = EvaluationTopologyTest.class.getResourceAsStream(
        "/evaluation-reference.json")) {
      return ModelJson.MAPPER.readTree(in).get(index);
    }
  }

  private static ModelSpec spec(final int index) {
    return index == 0
        ? new ModelSpec(2, true, Activation.IDENTITY, 0.05, null, 0.0, Loss.SQUARED,
            OptimizerSettings.sgd())
        : new ModelSpec(2, true, Activation.SIGMOID, 0.05, null, 0.0, Loss.LOGISTIC,
            OptimizerSettings.of(OptimizerKind.ADAM));
  }

  private static EvaluationSpec evaluation(final int index) {
    final DriftSettings drift = index == 0
        ? new DriftSettings("page-hinkley", 0.005, 1.0, 0.9999, 30, 30, 3.0, true)
        : DriftSettings.of("ddm", true);
    return new EvaluationSpec(index == 0 ? 50 : 100, drift);
  }

  @ParameterizedTest
  @CsvSource({"0, 10485760, rocksdb", "0, 0, rocksdb", "1, 10485760, rocksdb", "1, 0, rocksdb",
      "0, 0, memory", "1, 10485760, memory"})
  void streamAndReplayJudgeAlikeAndEachDriftIsOneRecord(final int index, final long cacheBytes,
      final String store) throws Exception {
    final JsonNode reference = reference(index);
    final StringBuilder lines = new StringBuilder();
    reference.path("events").forEach(e -> lines.append(e.asText()).append('\n'));
    final EventRules rules = EventRules.of(LabelTtl.defaults()).judging(evaluation(index));
    final Replay replay = new Replay(spec(index), rules);
    replay.train(new StringReader(lines.toString()), (line, reason, detail) -> { });

    try (TopologyHarness stream = new TopologyHarness(spec(index), rules, InputFormat.JSON,
        Map.of(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(cacheBytes)),
        StoreKind.parse(store))) {
      assertThat(stream.stores().id()).isEqualTo(store);
      final Instant start = Instant.parse("2026-01-01T00:00:00Z");
      int n = 0;
      for (final JsonNode e : reference.path("events")) {
        final String event = e.asText();
        stream.send(ModelJson.MAPPER.readTree(event).path("key").asText(),
            event.getBytes(StandardCharsets.UTF_8), start.plusMillis(n++));
      }
      final Map<String, List<Long>> drifts = new HashMap<>();
      for (final TestRecord<byte[], byte[]> r : stream.drifts.readRecordsToList()) {
        final Drift drift = ReleasedSchemas.drifts().decode(r.value());
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(
            drift.getModelKey());
        assertThat(drift.getAction()).isEqualTo("reset");
        assertThat(drift.getDetector()).isEqualTo(index == 0 ? "page-hinkley" : "ddm");
        assertThat(drift.getStatistic()).isGreaterThan(drift.getThreshold());
        assertThat(drift.getSourceTopic()).isEqualTo("training-events");
        drifts.computeIfAbsent(drift.getModelKey(), k -> new ArrayList<>()).add(drift.getStep());
        assertThat(drift.getGeneration()).isEqualTo(
            drifts.get(drift.getModelKey()).size());
      }
      assertThat(replay.models()).isNotEmpty();
      for (final Map.Entry<String, Model> entry : replay.models().entrySet()) {
        final String key = entry.getKey();
        final Model offline = entry.getValue();
        final Model served = stream.model(key);
        assertThat(ModelJson.of(served).toString()).as(key)
            .isEqualTo(ModelJson.of(offline).toString());
        assertThat(ModelJson.of(served).path("evaluation").path("window").path("count")
            .asLong()).as(key).isPositive();
        final List<Long> steps = new ArrayList<>();
        for (final long step : offline.evaluation().drifts()) {
          steps.add(step);
        }
        assertThat(drifts.getOrDefault(key, List.of())).as(key).isEqualTo(steps).isNotEmpty();
        assertStoredAsGenerated(offline, spec(index));
      }
    }
  }

  /** The hand-written bytes of a judged model are the generated ModelState's. */
  private static void assertStoredAsGenerated(final Model model, final ModelSpec spec)
      throws Exception {
    final ModelEvaluation evaluation = model.evaluation();
    final double[] state = new double[4];
    evaluation.detector().write(state, 0);
    final List<Long> drifts = new ArrayList<>();
    for (final long step : evaluation.drifts()) {
      drifts.add(step);
    }
    final ModelState generated = new ModelState(AvroValues.list(model.weights()), model.bias(),
        model.count(), model.lossSum(), AvroValues.list(model.optimizerState()),
        spec.stepSettings(), List.of(), 0, List.of(), List.of(), List.of(),
        new EvaluationState(evaluation.windowSize(), AvroValues.list(evaluation.writeTotals()),
            AvroValues.list(evaluation.writeWindows()), evaluation.detector().id(),
            AvroValues.list(state), evaluation.generation(), evaluation.driftCount(), drifts));
    final ModelSerde serde = new ModelSerde(spec.stepSettings());
    final byte[] bytes = serde.toBytes(model);
    assertThat(bytes).isEqualTo(AvroValues.bytes(ModelState.getEncoder(), generated));
    final Model back = serde.fromBytes(bytes);
    assertThat(ModelJson.of(back).path("generation")).isEqualTo(
        ModelJson.of(model).path("generation"));
    assertThat(back.evaluation().total()).isEqualTo(evaluation.total());
    assertThat(back.evaluation().servedTotal()).isEqualTo(evaluation.servedTotal());
  }
}
