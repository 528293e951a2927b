package io.gradstream.cli;

import io.gradstream.events.CsvExpectations;
import io.gradstream.events.EventFileException;
import io.gradstream.learn.ModelSpec;
import io.gradstream.replay.Replay;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

  @Override
  public Integer call() throws IOException {
    final ModelSpec modelSpec = SettingsCheck.check(spec, model::toSpec);
    final EventRules rules = SettingsCheck.check(spec,
        () -> model.toEventRules(LabelTtl.DEFAULT_GRACE, modelSpec));
    final CsvExpectations expected = SettingsCheck.check(spec,
        () -> fileOptions.expectations(modelSpec.hashBits() > 0 ? 0 : modelSpec.features(),
            modelSpec.hashBits() > 0));
    final PrintWriter err = spec.commandLine().getErr();
    SettingsCheck.warn(modelSpec, err);
    final Replay replay = new Replay(modelSpec, rules);
    final Map<String, Long> reasons = new HashMap<>();
    try (Reader in = new InputStreamReader(EventFileInput.open(spec, file).stream(),
        StandardCharsets.UTF_8);
        PredictionLines lines = PredictionLines.open(spec, predictionsFile)) {
      replay.predictionsTo(lines);
      // malformed UTF-8 becomes U+FFFD, so such a row is reported by its line, not the whole file
      replay.train(in, expected, (line, reason, detail) -> {
        err.println("line " + line + ": " + reason + (detail == null ? "" : ": " + detail));
        reasons.merge(reason, 1L, Long::sum);
      });
    } catch (final EventFileException e) {
      err.println("gradstream replay: " + file + ": " + e.getMessage());
      return Main.USAGE;
    } catch (final IOException | UncheckedIOException e) {
      err.println("gradstream replay: cannot read " + file + " or write the predictions: "
          + e.getMessage());
      return Main.FAILURE;
    }
    final PrintWriter out = spec.commandLine().getOut();
    out.println(replay.toJson().toString());
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
}
