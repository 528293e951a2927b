package io.gradstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.events.BadRowHandler;
import io.gradstream.events.CsvExpectations;
import io.gradstream.events.EventFields;
import io.gradstream.events.EventFileException;
import io.gradstream.events.JsonEventDecoder;
import io.gradstream.events.UndecodableEventException;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.race.RaceRule;
import io.gradstream.query.Explanation;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.RaceReplay;
import io.gradstream.replay.Replay;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import io.gradstream.stream.RaceSetup;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gradstream replay FILE}: offline training with the streaming semantics. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {
        "Train offline on a CSV or JSON Lines file, exactly as the stream would, and print the "
            + "final models as JSON on stdout.",
        "Rows that are not valid events are reported on stderr with their line number and "
            + "counted as \"invalid\"."})
final class ReplayCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ModelOptions model;

  @Mixin
  EventFileOptions fileOptions;

  @Parameters(paramLabel = "FILE", description = "CSV (header: key, d, x or x1..xn) or JSON "
      + "Lines ({\"key\": ..., \"x\": [...], \"d\": ...}); - for stdin.")
  String file;

  @Option(names = "--predictions", paramLabel = "FILE",
      description = "Write one JSON line per prediction (an event with x and no d), in input "
          + "order: {\"key\", \"id\", \"y\", \"modelStep\"}.")
  Path predictionsFile;

  @Option(names = "--progress-every", paramLabel = "N", defaultValue = "0",
      description = "Every N rows, print the running evaluation (of every model's samples "
          + "together, and of each --progress-key) as one JSON line on stdout, before the final "
          + "output: the learning curve (default: ${DEFAULT-VALUE}, none).")
  long progressEvery;

  @Option(names = "--progress-key", paramLabel = "KEY",
      description = "With --progress-every: each line also holds this model's evaluation; "
          + "repeatable.")
  List<String> progressKeys = new ArrayList<>();

  @Option(names = "--explain", paramLabel = "FILE",
      description = "With --hash-bits: explain, with the final models, the prediction for each "
          + "line of FILE ({\"key\": ..., \"features\": {...}}, JSON Lines): each term's "
          + "coordinate, sign, value after scaling, weight and contribution, largest first, "
          + "under \"explanations\" in the output.")
  Path explainFile;

  @Override
  public Integer call() throws IOException {
    final ModelSpec modelSpec = SettingsCheck.check(spec, model::toSpec);
    if (model.race.racing()) {
      return race(modelSpec);
    }
    final EventRules rules = SettingsCheck.check(spec,
        () -> model.toEventRules(LabelTtl.DEFAULT_GRACE, modelSpec));
    if (progressEvery < 0) {
      throw new ParameterException(spec.commandLine(), "--progress-every must be 0 (none) or "
          + "a number of rows, got " + progressEvery);
    }
    final CsvExpectations expected = expectations(modelSpec);
    if (explainFile != null && modelSpec.hashBits() == 0) {
      throw new ParameterException(spec.commandLine(), "explain " + explainFile + " needs "
          + "--hash-bits: a prediction is explained term by term for named features");
    }
    if (explainFile != null && modelSpec.layers() != null) {
      throw new ParameterException(spec.commandLine(), "explain " + explainFile + " is for one "
          + "hashed neuron: through hidden layers the terms' contributions do not add up");
    }
    final PrintWriter err = spec.commandLine().getErr();
    SettingsCheck.warn(modelSpec, err);
    final PrintWriter out = spec.commandLine().getOut();
    final Replay replay = new Replay(modelSpec, rules).progressTo(progressEvery, now -> {
      out.println(now.progressJson(progressKeys).toString());
      out.flush();
    });
    final Map<String, Long> reasons = new HashMap<>();
    final Integer failed = readFile(modelSpec, (in, lines, badRows) -> {
      replay.predictionsTo(lines);
      replay.train(in, expected, badRows);
    }, reasons);
    if (failed != null) {
      return failed;
    }
    final ObjectNode json = replay.toJson();
    if (explainFile != null) {
      try {
        json.set("explanations", explain(modelSpec, replay, err));
      } catch (final IOException e) {
        err.println("gradstream replay: cannot read " + explainFile + ": " + e.getMessage());
        return Main.FAILURE;
      }
    }
    out.println(json.toString());
    out.flush();
    if (replay.rows() > 0 && replay.invalid() == replay.rows()) {
      final Map.Entry<String, Long> top = Collections.max(reasons.entrySet(),
          Map.Entry.comparingByValue());
      err.println("replay: every row of " + file + " is invalid (" + Counted.of(replay.invalid(),
          "row") + ", most often " + top.getKey() + "): nothing trained");
      return Main.FAILURE;
    }
    err.println(replay.rows() == 0
        ? "replay: " + file + " holds no events (it is empty or only a header); nothing trained"
        : "replay: " + Counted.of(replay.models().size(), "model") + ", "
            + Counted.of(replay.predicted(), "prediction") + ", "
            + Counted.of(replay.invalid(), "invalid row"));
    return 0;
  }

  /** What a CSV file's header must hold for models of {@code modelSpec}. */
  private CsvExpectations expectations(final ModelSpec modelSpec) {
    return SettingsCheck.check(spec, () -> fileOptions.expectations(
        modelSpec.hashBits() > 0 ? 0 : modelSpec.features(), modelSpec.hashBits() > 0,
        modelSpec.classes() != null && modelSpec.classes().hasNames()));
  }

  /** What reads the event file: the replay, or a race's replays. */
  private interface FileReading {
    void read(Reader in, PredictionLines lines, BadRowHandler badRows) throws IOException;
  }

  /**
   * Reads the file with {@code reading}, each bad row named on stderr and counted in {@code
   * reasons}; null when it was read, else the exit code of why it could not be.
   */
  private Integer readFile(final ModelSpec modelSpec, final FileReading reading,
      final Map<String, Long> reasons) {
    final PrintWriter err = spec.commandLine().getErr();
    try (Reader in = new InputStreamReader(EventFileInput.open(spec, file).stream(),
        StandardCharsets.UTF_8);
        PredictionLines lines = PredictionLines.open(spec, predictionsFile, modelSpec.classes())) {
      // malformed UTF-8 becomes U+FFFD, so such a row is reported by its line, not the whole file
      reading.read(in, lines, (line, reason, detail) -> {
        err.println("line " + line + ": " + reason + (detail == null ? "" : ": " + detail));
        reasons.merge(reason, 1L, Long::sum);
      });
      return null;
    } catch (final EventFileException e) {
      err.println("gradstream replay: " + file + ": " + e.getMessage());
      return Main.USAGE;
    } catch (final IOException | UncheckedIOException e) {
      err.println("gradstream replay: cannot read " + file + " or write the predictions: "
          + e.getMessage());
      return Main.FAILURE;
    }
  }

  /**
   * {@code --race}: every variant's replay of the file in step, each key's champion by the race's
   * rule; the output holds every variant's models and each key's champion history.
   */
  private Integer race(final ModelSpec base) throws IOException {
    if (progressEvery != 0 || explainFile != null) {
      throw new ParameterException(spec.commandLine(), "race does not take --progress-every or "
          + "--explain yet");
    }
    final RaceSetup setup = SettingsCheck.check(spec, () -> model.raceSetup(
        spec.commandLine().getParseResult(), LabelTtl.DEFAULT_GRACE));
    final List<String> names = setup.spec().names();
    final List<Replay> variants = new ArrayList<>();
    for (int v = 0; v < names.size(); v++) {
      variants.add(new Replay(setup.spec().specs().get(v), setup.rules().get(v)));
    }
    final RaceRule rule = setup.spec().rule();
    final CsvExpectations expected = expectations(base);
    final PrintWriter err = spec.commandLine().getErr();
    final RaceReplay race = new RaceReplay(names, variants, rule);
    final Integer failed = readFile(base, (in, lines, badRows) -> {
      race.predictionsTo(lines::prediction);
      race.train(in, expected, badRows);
    }, new HashMap<>());
    if (failed != null) {
      return failed;
    }
    final PrintWriter out = spec.commandLine().getOut();
    out.println(race.toJson().toString());
    out.flush();
    final Replay first = race.variant(0);
    err.println("replay: a race of " + names.size() + " variants, "
        + Counted.of(first.models().size(), "model") + " each, "
        + Counted.of(first.invalid(), "invalid row"));
    return 0;
  }

  /** Each line of the explain file with the final models; a bad line is named on stderr. */
  private ArrayNode explain(final ModelSpec modelSpec, final Replay replay,
      final PrintWriter err) throws IOException {
    final Explanation explanation = new Explanation(modelSpec);
    final JsonEventDecoder decoder = new JsonEventDecoder();
    final EventFields event = new EventFields();
    final ArrayNode all = ModelJson.MAPPER.createArrayNode();
    long number = 0;
    for (final String line : Files.readAllLines(explainFile, StandardCharsets.UTF_8)) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      try {
        final JsonNode row = ModelJson.MAPPER.readTree(line);
        final String key = row.path("key").asText(null);
        decoder.decode(line, event);
        if (key == null || !event.hasFeatures) {
          throw new IllegalArgumentException("a line to explain has \"key\" and "
              + "\"features\"");
        }
        final Model model = replay.models().get(key);
        all.add(explanation.of(key, model != null ? model : explanation.newModel(),
            event.features));
      } catch (final IOException | UndecodableEventException | IllegalArgumentException e) {
        err.println(explainFile + " line " + number + ": " + e.getMessage());
      }
    }
    return all;
  }
}
