package io.gradstream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.avro.Prediction;
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
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.StoreKind;
import io.gradstream.stream.TopologyHarness;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A file that trains, predicts and labels (some labels too late, some for predictions that do
 * not exist) gives the same models and the same predictions, bit for bit, offline and through the
 * topology, in every input format.
 */
class PredictionsReplayMatchesStreamTest {
  private static final int N = 3;
  private static final LabelTtl TTL = new LabelTtl(Duration.ofSeconds(3), Duration.ofHours(1));

  /** What a prediction is, as replay prints it; y by its bits. */
  private record Served(String key, String id, long yBits, long modelStep) {}

  @ParameterizedTest(name = "{0}")
  @CsvSource({"sgd, squared, none", "adam, huber, none", "ftrl, squared, none",
      "adam, squared, standard"})
  void aMixedFileGivesTheSameModelsAndPredictionsOfflineAndThroughTheStream(
      final String optimizer, final String loss, final String scale) throws Exception {
    final ModelSpec spec =
        new ModelSpec(N, true, Activation.TANH, optimizer.equals("ftrl") ? 0.5 : 0.05, null, 0.0,
            Loss.of(loss, 1.0), OptimizerSettings.of(OptimizerKind.named(optimizer)),
            HiddenLayers.NONE, FeatureHashing.NONE, FeatureScaling.of(scale));
    final List<EventRow> rows = EventRow.mixed(new Random(41), 3000, N, 5);

    final Map<String, Replay> replays = new TreeMap<>();
    final Map<String, List<Served>> offline = new TreeMap<>();
    final Map<String, Map<String, Integer>> offlineReasons = new TreeMap<>();
    for (final String format : List.of("csv", "jsonl")) {
      final List<Served> served = new ArrayList<>();
      final Map<String, Integer> reasons = new TreeMap<>();
      final Replay replay = new Replay(spec, TTL).predictionsTo((key, id, y, modelStep) ->
          served.add(new Served(key, id, Double.doubleToRawLongBits(y), modelStep)));
      replay.train(new StringReader(format.equals("csv") ? EventRow.csv(rows, N)
          : EventRow.jsonLines(rows)), (line, reason, detail) -> reasons.merge(reason, 1,
              Integer::sum));
      replays.put(format, replay);
      offline.put(format, served);
      offlineReasons.put(format, reasons);
    }
    final Replay replay = replays.get("csv");
    assertThat(offline.get("jsonl")).isEqualTo(offline.get("csv"));
    assertThat(offlineReasons.get("jsonl")).isEqualTo(offlineReasons.get("csv"));
    // the file exercises every path
    assertThat(offlineReasons.get("csv")).containsKeys("label-too-late", "unknown-prediction",
        "non-finite-feature");
    assertThat(offline.get("csv").stream().filter(s -> s.id() != null).count()).isPositive();
    assertThat(offline.get("csv").stream().filter(s -> s.modelStep() > 0).count()).isPositive();

    // in RocksDB by both formats, and in memory
    for (final StoreKind store : StoreKind.values()) {
      for (final InputFormat format : store == StoreKind.MEMORY
          ? List.of(InputFormat.AVRO) : List.of(InputFormat.AVRO, InputFormat.JSON)) {
        final String via = format + " in " + store.id();
        try (TopologyHarness stream = new TopologyHarness(spec, EventRules.of(TTL), format,
            Map.of(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0"), store)) {
          assertThat(stream.stores()).isEqualTo(store);
          for (final EventRow row : rows) {
            stream.send(row.key(), format == InputFormat.AVRO ? row.avro() : row.json());
          }
          final List<Served> online = new ArrayList<>();
          for (final Prediction p : stream.readPredictions()) {
            online.add(new Served(p.getModelKey(), p.getId(),
                Double.doubleToRawLongBits(p.getY()), p.getModelStep()));
          }
          assertThat(online).as("predictions via " + via).isEqualTo(offline.get("csv"));
          for (final Map.Entry<String, Model> e : replay.models().entrySet()) {
            ModelAssert.assertBitIdentical(e.getKey() + " via " + via,
                stream.model(e.getKey()), e.getValue());
          }
        }
      }
    }
  }
}
