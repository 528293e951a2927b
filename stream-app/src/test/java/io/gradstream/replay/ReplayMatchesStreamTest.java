package io.gradstream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelAssert;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.optim.LrSchedule;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.query.ModelJson;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.TopologyHarness;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The promise that makes results checkable: the same events give bit-identical models offline
 * ({@code replay} of a CSV or JSONL file) and through the topology (Avro or JSON values), for every
 * activation, with and without bias, with invalid rows mixed in.
 */
class ReplayMatchesStreamTest {
  static Stream<Arguments> settings() {
    final List<Arguments> all = new ArrayList<>();
    int n = 1;
    for (final Activation f : Activation.values()) {
      for (final boolean bias : new boolean[] {false, true}) {
        all.add(Arguments.of(f, bias, n));
        n = n % 10 + 3;
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} bias={1} n={2}")
  @MethodSource("settings")
  void replayAndStreamGiveBitIdenticalModels(final Activation f, final boolean bias, final int n)
      throws Exception {
    final double[] init = new double[n];
    init[0] = 0.1;
    final ModelSpec spec = new ModelSpec(n, bias, f, 0.05, init, bias ? -0.2 : 0.0);
    final List<EventRow> rows = EventRow.random(new Random(f.ordinal() * 31L + n), 600, n, 7);
    assertReplayMatchesStream(spec, rows, rows.stream().filter(r -> r.invalid(n)).count());
  }

  static Stream<Arguments> losses() {
    return Stream.of(Arguments.of(Activation.SIGMOID, Loss.LOGISTIC),
        Arguments.of(Activation.TANH, Loss.of("huber", 0.3)),
        Arguments.of(Activation.IDENTITY, Loss.of("huber", 1.0)),
        Arguments.of(Activation.SIGMOID, Loss.SQUARED));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("losses")
  void everyLossGivesBitIdenticalModelsOfflineAndThroughTheStream(final Activation f,
      final Loss loss) throws Exception {
    final int n = 3;
    final ModelSpec spec = new ModelSpec(n, true, f, 0.05, null, 0.0, loss);
    final List<EventRow> rows = EventRow.random(new Random(17), 600, n, 5);
    // the labels of the teacher lie around [−1, 1]: the logistic loss refuses those below 0
    assertReplayMatchesStream(spec, rows, rows.stream()
        .filter(r -> r.invalid(n) || r.valid(n) && !loss.accepts(r.d())).count());
  }

  static Stream<Arguments> optimizersAndLosses() {
    final List<Arguments> all = new ArrayList<>();
    for (final String optimizer : OptimizerKind.optionNames()) {
      for (final String loss : new String[] {"squared", "logistic", "huber"}) {
        all.add(Arguments.of(optimizer, loss));
      }
    }
    return all.stream();
  }

  /**
   * Every optimizer with every loss, with clipping (and the invscaling schedule but for FTRL): the
   * optimizer's state is stored with the model, and with room for one live model only, every
   * event of the stream reloads its model and state from the store.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("optimizersAndLosses")
  void everyOptimizerWithEveryLossGivesBitIdenticalModelsOfflineAndThroughTheStream(
      final String optimizer, final String lossName) throws Exception {
    final int n = 3;
    final boolean ftrl = optimizer.equals("ftrl");
    final Loss loss = Loss.of(lossName, 0.5);
    final ModelSpec spec = new ModelSpec(n, true,
        loss == Loss.LOGISTIC ? Activation.SIGMOID : Activation.TANH, ftrl ? 0.5 : 0.05, null,
        0.0, loss, new OptimizerSettings(OptimizerKind.named(optimizer), null, null, null, null,
            null, null, null, null, null, ftrl ? LrSchedule.CONSTANT : LrSchedule.INVSCALING,
            null, 2.0));
    final List<EventRow> rows = EventRow.random(new Random(23), 300, n, 5);
    assertReplayMatchesStream(spec, rows, rows.stream()
            .filter(r -> r.invalid(n) || r.valid(n) && !loss.accepts(r.d())).count(),
        Map.of(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0"));
  }

  static Stream<Arguments> networks() {
    final List<Arguments> all = new ArrayList<>();
    final String[] optimizers = {"sgd", "adam", "momentum", "rmsprop", "adagrad"};
    for (final Activation hidden : Activation.values()) {
      all.add(Arguments.of(hidden, optimizers[hidden.ordinal()], hidden.ordinal() % 2 == 0));
    }
    return all.stream();
  }

  /**
   * Networks of one and two hidden layers, each hidden activation with another optimizer; with
   * room for one live model only in half of them, so that every event reloads its network and
   * the optimizer's state from the store.
   */
  @ParameterizedTest(name = "{0} {1} reload={2}")
  @MethodSource("networks")
  void networksGiveBitIdenticalModelsOfflineAndThroughTheStream(final Activation hidden,
      final String optimizer, final boolean reload) throws Exception {
    final int n = 2 + hidden.ordinal() % 3;
    final int[] units = hidden.ordinal() % 2 == 0 ? new int[] {6} : new int[] {5, 3};
    final ModelSpec spec =
        new ModelSpec(n, false, Activation.TANH, 0.01, null, 0.0, Loss.SQUARED,
            OptimizerSettings.of(OptimizerKind.named(optimizer)),
            HiddenLayers.of(units, hidden, 7L + n));
    final List<EventRow> rows = EventRow.random(new Random(29 + n), 400, n, 5);
    assertReplayMatchesStream(spec, rows, rows.stream().filter(r -> r.invalid(n)).count(),
        reload ? Map.of(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0") : Map.of());
  }

  private static void assertReplayMatchesStream(final ModelSpec spec, final List<EventRow> rows,
      final long invalidRows) throws Exception {
    assertReplayMatchesStream(spec, rows, invalidRows, Map.of());
  }

  private static void assertReplayMatchesStream(final ModelSpec spec, final List<EventRow> rows,
      final long invalidRows, final Map<String, String> streams) throws Exception {
    final int n = spec.features();
    final Replay fromCsv = new Replay(spec);
    fromCsv.train(new StringReader(EventRow.csv(rows, n + 1)), (line, reason, detail) -> { });
    final Replay fromJsonl = new Replay(spec);
    fromJsonl.train(new StringReader(EventRow.jsonLines(rows)), (line, reason, detail) -> { });
    assertThat(fromCsv.invalid()).isEqualTo(invalidRows);
    assertThat(fromJsonl.invalid()).isEqualTo(invalidRows);
    assertThat(fromCsv.models()).isNotEmpty();

    for (final InputFormat format : List.of(InputFormat.AVRO, InputFormat.JSON)) {
      try (TopologyHarness stream = new TopologyHarness(spec, format, streams)) {
        for (final EventRow row : rows) {
          stream.send(row.key(), format == InputFormat.AVRO ? row.avro() : row.json());
        }
        for (final Map.Entry<String, Model> e : fromCsv.models().entrySet()) {
          ModelAssert.assertBitIdentical(
              e.getKey() + " via " + format, stream.model(e.getKey()), e.getValue());
        }
      }
    }
    for (final Map.Entry<String, Model> e : fromCsv.models().entrySet()) {
      ModelAssert.assertBitIdentical(e.getKey() + " from JSONL", fromJsonl.models().get(e.getKey()),
          e.getValue());
    }

    // the printed JSON carries the exact doubles
    final JsonNode printed = ModelJson.MAPPER.readTree(fromCsv.toJson().toString());
    for (final Map.Entry<String, Model> e : fromCsv.models().entrySet()) {
      final JsonNode m = printed.get("models").get(e.getKey());
      ModelAssert.assertBitIdentical(e.getKey() + " printed", ModelJson.parse(m), e.getValue());
    }
  }
}
