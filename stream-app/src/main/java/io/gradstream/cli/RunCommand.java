package io.gradstream.cli;

import io.gradstream.config.ServiceSettings;
import io.gradstream.learn.ModelSpec;
import io.gradstream.service.ServiceLife;
import io.gradstream.service.StopSignal;
import io.gradstream.stream.RaceSetup;
import io.gradstream.stream.StoredModelBound;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gradstream run}: the stream processor against a Kafka cluster. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Train online from the input topic: one model per key, one SGD step per event, "
          + "exactly once; publish a metric per step and dead-letter invalid events.",
      "Kafka is yours, named with --bootstrap-servers (or KAFKA_BOOTSTRAP_SERVERS), or a "
          + "temporary single-node one started in this process with --embedded-kafka.",
      "Every option can also be set as an environment variable GRADSTREAM_<OPTION> "
          + "(GRADSTREAM_LEARNING_RATE=0.05) or in the --config file; Kafka client and Streams "
          + "properties pass through as KAFKA_<PROPERTY> variables (KAFKA_SASL_MECHANISM=PLAIN)."
    })
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ServiceOptions service;

  @Mixin
  ModelOptions model;

  @picocli.CommandLine.Option(names = "--quiet",
      description = "No progress line every 10 s (warnings are still printed).")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    final ModelSpec modelSpec = modelSpec();
    final ServiceSettings settings = serviceSettings();
    SettingsCheck.check(spec, () -> {
      final String refusal = StoredModelBound.refusal(modelSpec, settings.kafka());
      if (refusal != null) {
        throw new IllegalArgumentException(refusal);
      }
      return modelSpec;
    });
    final PrintWriter log = spec.commandLine().getErr();
    final RaceSetup race = SettingsCheck.check(spec, () -> model.raceSetup(
        spec.commandLine().getParseResult(), service.labelGrace));
    return ServiceLife.live(settings, modelSpec,
        SettingsCheck.check(spec, () -> model.toEventRules(service.labelGrace, modelSpec)), race,
        SettingsCheck.check(spec, () -> service.embeddedKafka(settings, false)),
        service.resetLocalState, log, log,
        "gradstream run: stopped",
        (runner, kafka, stop) -> {
          final RunProgress progress = new RunProgress(runner.meters(), runner::modelCount,
              service.dlqTopic, System.nanoTime());
          while (!stop.await(RunProgress.EVERY)) {
            for (final String line : progress.lines(System.nanoTime(), !quiet)) {
              log.println(line);
            }
            log.flush();
          }
          log.println("gradstream run: stopping" + StopSignal.on(stop));
          return runner.exitCode(log, "run");
        });
  }

  ModelSpec modelSpec() {
    return SettingsCheck.check(spec, model::toSpec);
  }

  ServiceSettings serviceSettings() throws IOException {
    return service.resolve(spec, ((Main) spec.parent().userObject()).environment);
  }
}
