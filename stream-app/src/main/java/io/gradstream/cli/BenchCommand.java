package io.gradstream.cli;

import io.gradstream.config.KafkaEnvironment;
import io.gradstream.config.ServiceSettings;
import io.gradstream.learn.Classes;
import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.stream.StoreKind;
import io.gradstream.throughput.BenchBroker;
import io.gradstream.throughput.BenchKind;
import io.gradstream.throughput.ThroughputBench;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gradstream bench}: gradstream's throughput next to Kafka Streams' own ceiling. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {
        "Measure end-to-end throughput on an embedded broker (BENCHMARKS.md): fill the input "
            + "topic, then time a Kafka Streams passthrough of the same records with the same "
            + "processing guarantee (the ceiling) and gradstream's topology, and print both and "
            + "their ratio."})
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--events", defaultValue = "1000000",
      description = "Events in the input topic (default: ${DEFAULT-VALUE}).")
  int events;

  @Option(names = "--keys", defaultValue = "1",
      description = "Models (keys) they are spread over (default: ${DEFAULT-VALUE}).")
  int keys;

  @Option(names = "--features", defaultValue = "1",
      description = "Features per event (default: ${DEFAULT-VALUE}).")
  int features;

  @Option(names = "--hash-bits", paramLabel = "B", defaultValue = "0",
      description = "A hashed logistic neuron per key over 2^B coordinates, its events "
          + "--features named features, half numbers and half categories (default: a dense x).")
  int hashBits;

  @Option(names = "--hidden", paramLabel = "N1,N2,...", split = ",",
      description = "A network per key with these hidden layers (tanh, identity output) instead "
          + "of one neuron (default: none).")
  int[] hidden = new int[0];

  @Option(names = "--classes", paramLabel = "K", defaultValue = "0",
      description = "A model of K classes per key (softmax, cross-entropy; one layer, or "
          + "--hidden), labels drawn uniformly from 0..K-1 (default: one output).")
  int classes;

  @Option(names = "--race", paramLabel = "V", defaultValue = "0",
      description = "A race of V variants per key, learning rates 0.01·3^(v−1) (0.0033, 0.01, "
          + "0.03, ...), each publishing its metric (default: none).")
  int race;

  @Option(names = "--optimizer", defaultValue = "sgd",
      description = "gradstream's optimizer, at its default hyperparameters (default: "
          + "${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--kind", defaultValue = "train",
      description = "train (training events), predict (predictions without an id), "
          + "predict-pending (with an id, each kept pending) or predict-label (a prediction "
          + "with an id, then its label, in turn) (default: ${DEFAULT-VALUE}).")
  String kind;

  @Option(names = "--latency-seconds", defaultValue = "20",
      description = "Then send events live at half gradstream's measured rate for this long and "
          + "report the latency p50/p99 from event to published metric; 0 to skip (default: "
          + "${DEFAULT-VALUE}).")
  int latencySeconds;

  @Option(names = "--guarantee", defaultValue = "exactly_once_v2",
      description = "exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
  String guarantee;

  @Option(names = "--latency-rate",
      description = "Events/s for the latency run (default: half gradstream's measured rate).")
  Double latencyRate;

  @Option(names = "--rounds", defaultValue = "3",
      description = "Rounds of passthrough then gradstream on the same input; the medians are "
          + "compared (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--separate-processes",
      description = "Run the broker in a JVM of its own, and each application in a fresh JVM of "
          + "its own, as deployed: events/s from 10%% of the output to the end, and the CPU "
          + "seconds per million events of each application's process and of the broker's, read "
          + "from the processes (default: everything in this JVM, as in the demo).")
  boolean separateProcesses;

  @Option(names = "--java-option", paramLabel = "OPTION",
      description = "With --separate-processes, an option for each application's JVM, for "
          + "example a profiler: -XX:StartFlightRecording=filename=/tmp/{app}.jfr ({app} stands "
          + "for the application's id); repeatable.")
  List<String> javaOptions = new ArrayList<>();

  @Option(names = "--eval-window", paramLabel = "W", defaultValue = "1000",
      description = "gradstream judges each model over its last W samples, as run does "
          + "(default: ${DEFAULT-VALUE}); -1: models are not judged at all.")
  int evalWindow;

  @Option(names = "--drift", paramLabel = "DETECTOR", defaultValue = "none",
      description = "gradstream's drift detector: none, page-hinkley or ddm (default: "
          + "${DEFAULT-VALUE}).")
  String drift;

  @Option(names = "--store", paramLabel = "KIND", defaultValue = "rocksdb",
      converter = ServiceOptions.StoreKindConverter.class,
      description = "gradstream's --store: rocksdb or memory; the stateful ceiling stays on "
          + "RocksDB (default: ${DEFAULT-VALUE}).")
  StoreKind store;

  @Option(names = "--restore",
      description = "With --separate-processes, after each gradstream run a new instance "
          + "restores its stores from the changelogs: the records read, the seconds from the "
          + "first store's start to the last one's end, and its live heap then.")
  boolean restore;

  @Option(names = "--kafka-defaults",
      description = "Run both applications on Kafka's own client defaults instead of the "
          + "service's throughput settings (KAFKA_* variables apply either way).")
  boolean kafkaDefaults;

  @Override
  public Integer call() throws Exception {
    if (events < 1 || keys < 1 || features < 1 || rounds < 1
        || latencyRate != null && !(latencyRate > 0)) {
      throw new ParameterException(spec.commandLine(),
          "events, keys, features and rounds must be at least 1, a latency rate above 0");
    }
    if (hashBits != 0 && (hashBits < 1 || hashBits > 24 || hidden.length > 0)) {
      throw new ParameterException(spec.commandLine(), "hash bits must be in 1..24, for one "
          + "neuron, got " + hashBits + (hidden.length > 0 ? " with --hidden" : ""));
    }
    if (classes != 0 && (classes < 2 || classes > Classes.MAX || hashBits != 0)) {
      throw new ParameterException(spec.commandLine(), "classes must be in 2.." + Classes.MAX
          + ", for a dense x, got " + classes + (hashBits != 0 ? " with --hash-bits" : ""));
    }
    if (race == 1 || race < 0 || race > 16) {
      throw new ParameterException(spec.commandLine(), "race must be 2..16 variants, got " + race);
    }
    final OptimizerKind optimizerKind;
    final BenchKind benchKind;
    try {
      optimizerKind = OptimizerKind.named(optimizer);
      benchKind = BenchKind.named(kind);
    } catch (final IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      if (evalWindow >= 0) {
        new EvaluationSpec(evalWindow, DriftSettings.of(drift, false));
      }
    } catch (final IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!guarantee.equals("exactly_once_v2") && !guarantee.equals("at_least_once")) {
      throw new ParameterException(spec.commandLine(),
          "guarantee must be exactly_once_v2 or at_least_once, got '" + guarantee + "'");
    }
    final PrintWriter out = spec.commandLine().getOut();
    final Map<String, String> streams = new TreeMap<>(
        kafkaDefaults ? Map.of() : ServiceSettings.THROUGHPUT_DEFAULTS);
    streams.putAll(KafkaEnvironment.properties(((Main) spec.parent().userObject()).environment));
    final ThroughputBench.Setup setup =
        new ThroughputBench.Setup(events, keys, features, optimizerKind, benchKind, guarantee, 1,
            streams, hidden, hashBits, evalWindow, drift, classes, race, store);
    out.printf(Locale.ROOT, "bench: %d %s events, %d keys, %d %sfeatures%s%s%s, %s, %s, %s, "
        + "%s, clients %s%n", events, kind, keys, features, hashBits > 0 ? "named " : "",
        hidden.length == 0 ? hashBits > 0 ? ", hashed into 2^" + hashBits + ", logistic" : ""
            : ", hidden " + Arrays.toString(hidden),
        classes > 0 ? ", " + classes + " classes" : "",
        race > 0 ? ", a race of " + race + " learning rates" : "", optimizer, guarantee,
        evalWindow < 0 ? "not judged" : "judged over " + evalWindow + " samples, drift " + drift,
        "stores in " + store.id(), streams.isEmpty() ? "as Kafka ships them" : streams);
    out.flush();
    try (BenchBroker broker = separateProcesses ? BenchBroker.inOwnProcess(javaOptions)
        : BenchBroker.inThisJvm()) {
      ThroughputBench.fill(broker.bootstrapServers(), setup);
      final List<ThroughputBench.Result> results = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        final ThroughputBench.Result r = ThroughputBench.round(broker, setup, round, restore);
        results.add(r);
        print(out, "round " + round, r);
      }
      final ThroughputBench.Result r = ThroughputBench.Result.median(results);
      print(out, "median of " + rounds, r);
      if (latencySeconds > 0) {
        final ThroughputBench.Latency l = ThroughputBench.latency(broker,
            new ThroughputBench.Setup(events, keys, features, optimizerKind, BenchKind.TRAIN,
                guarantee, 2, streams, hidden, hashBits, evalWindow, drift, classes, race,
                store),
            latencyRate != null ? latencyRate : r.gradstreamPerSecond() / 2, latencySeconds);
        out.printf(Locale.ROOT, "bench: latency at %.0f events/s (%s), %d "
            + "events: p50 %d ms, p99 %d ms, max %d ms%n", l.ratePerSecond(),
            latencyRate != null ? "as given" : "half the measured rate", l.events(),
            l.p50Millis(), l.p99Millis(), l.maxMillis());
      }
    }
    return 0;
  }

  private static void print(final PrintWriter out, final String what,
      final ThroughputBench.Result r) {
    out.printf(Locale.ROOT, "bench: %s: passthrough %.0f/s, stateful ceiling %.0f/s, gradstream "
        + "%.0f/s, ratio %.2f, of the stateful ceiling %.2f%n", what, r.passthroughPerSecond(),
        r.statefulPerSecond(), r.gradstreamPerSecond(), r.ratio(), r.statefulRatio());
    if (r.separate()) {
      out.printf(Locale.ROOT, "bench: %s: CPU s per 1M events: passthrough %.2f (broker %.2f), "
          + "stateful ceiling %.2f (broker %.2f), gradstream %.2f (broker %.2f), ratio %.2f; "
          + "gradstream's live heap %.0f MB%n", what, r.passthroughCpu(),
          r.passthroughBrokerCpu(), r.statefulCpu(), r.statefulBrokerCpu(), r.gradstreamCpu(),
          r.gradstreamBrokerCpu(), r.cpuRatio(), r.gradstreamHeapMb());
    }
    if (r.restored()) {
      out.printf(Locale.ROOT, "bench: %s: a new instance restored %.0f records in %.1f s, live "
          + "heap then %.0f MB%n", what, r.restoredRecords(), r.restoreSeconds(),
          r.restoredHeapMb());
    }
    out.flush();
  }
}
