package io.gradstream.cli;

import io.gradstream.config.ServiceSettings;
import io.gradstream.config.SettingsFile;
import io.gradstream.learn.ModelSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gradstream run}: the stream processor against a Kafka cluster. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
        "Train online from the input topic: one model per key, one SGD step per event, "
            + "exactly once; publish a metric per step and dead-letter invalid events.",
        "Every option can also be set as an environment variable GRADSTREAM_<OPTION> "
            + "(GRADSTREAM_LEARNING_RATE=0.05) or in the --config file; Kafka client and Streams "
            + "properties pass through as KAFKA_<PROPERTY> variables (KAFKA_SASL_MECHANISM=PLAIN)."})
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ServiceOptions service;

  @Mixin
  ModelOptions model;

  @Override
  public Integer call() throws Exception {
    final ModelSpec modelSpec = modelSpec();
    final ServiceSettings settings = serviceSettings();
    try (ServiceRunner runner = ServiceRunner.start(settings, modelSpec, spec.commandLine().getErr())) {
      return runner.awaitStop();
    }
  }

  ModelSpec modelSpec() {
    return Settings.check(spec, model::toSpec);
  }

  ServiceSettings serviceSettings() throws java.io.IOException {
    final SettingsFile file = readSettingsFile();
    final ServiceSettings settings = Settings.check(spec,
        () -> service.toSettings(file, ((Main) spec.parent().userObject()).environment));
    if (settings.bootstrapServers() == null && !settings.kafka().containsKey("bootstrap.servers")) {
      throw new ParameterException(spec.commandLine(),
          "no Kafka given: use --bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS");
    }
    return settings;
  }

  private SettingsFile readSettingsFile() throws java.io.IOException {
    final Path path = service.configFile;
    if (path == null) {
      return SettingsFile.empty();
    }
    final SettingsFile file = SettingsFile.read(path);
    for (final String name : file.gradstream().keySet()) {
      if (spec.findOption("--" + name) == null || name.equals("config")) {
        throw new ParameterException(spec.commandLine(),
            "unknown setting '" + name + "' in " + path
                + " (gradstream settings are option names without dashes; Kafka properties "
                + "contain a dot)");
      }
    }
    return file;
  }
}
