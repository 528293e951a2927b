package io.gradstream.cli;

import io.gradstream.config.DidYouMean;
import io.gradstream.config.KafkaEnvironment;
import io.gradstream.config.SettingsDefaultProvider;
import io.gradstream.config.SettingsFile;
import io.gradstream.registry.RegistryRefusalException;
import io.gradstream.service.BuildInfo;
import io.gradstream.service.ExitCode;
import io.gradstream.service.StateOwner;
import io.gradstream.stream.SettingsMismatchException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gradstream} executable: one subcommand per job. */
@Command(name = "gradstream", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Online learning on Kafka Streams: per-event backpropagation and SGD, "
        + "one model per key.",
    subcommands = {DemoCommand.class, RunCommand.class, FeedCommand.class, TailCommand.class,
        ReplayCommand.class, ExportCommand.class, ImportCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** Exit code of a bad flag or setting. */
  public static final int USAGE = ExitCode.USAGE;
  /** Exit code of a command that could not do its work. */
  public static final int FAILURE = ExitCode.FAILURE;
  /** The commands that take Kafka settings from KAFKA_* variables. */
  private static final Set<String> KAFKA_COMMANDS = Set.of("run", "demo", "feed", "tail", "export",
      "import", "bench");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** The process environment, passed in so that tests can give their own. */
  final Map<String, String> environment;

  Main(final Map<String, String> environment) {
    this.environment = environment;
  }

  public static void main(final String[] args) {
    System.exit(execute(args, System.getenv(), new PrintWriter(System.out, true),
        new PrintWriter(System.err, true)));
  }

  /** Runs one command line and returns its exit code (what {@link #main} exits with). */
  public static int execute(final String[] args, final Map<String, String> environment,
      final PrintWriter out, final PrintWriter err) {
    final CommandLine cli;
    try {
      cli = commandLine(args, environment, out, err);
    } catch (final IOException e) {
      err.println("gradstream: cannot read the --config file: " + e.getMessage());
      return USAGE;
    }
    return cli.execute(args);
  }

  /** The command line for {@code args}, with run's settings from the environment and --config. */
  static CommandLine commandLine(final String[] args, final Map<String, String> environment,
      final PrintWriter out, final PrintWriter err) throws IOException {
    final CommandLine cli = commandLine(environment, out, err);
    // read before parsing: the file supplies defaults for the very options being parsed
    final SettingsFile file = settingsFile(args);
    cli.getSubcommands().get("run").setDefaultValueProvider(
        new SettingsDefaultProvider(environment, file, Map.of()));
    cli.getSubcommands().get("demo").setDefaultValueProvider(
        new SettingsDefaultProvider(environment, file, DemoCommand.DEFAULTS));
    cli.getSubcommands().get("feed").setDefaultValueProvider(
        new SettingsDefaultProvider(environment, SettingsFile.empty(), Map.of()));
    cli.getSubcommands().get("tail").setDefaultValueProvider(
        new SettingsDefaultProvider(environment, SettingsFile.empty(), Map.of()));
    for (final String command : List.of("replay", "export", "import")) {
      cli.getSubcommands().get(command).setDefaultValueProvider(
          new SettingsDefaultProvider(environment, SettingsFile.empty(), Map.of()));
    }
    final String unknown = SettingsDefaultProvider.unknownVariable(environment, optionNames(cli));
    final String unknownKafka = KafkaEnvironment.unknownVariable(environment);
    cli.setExecutionStrategy(parsed -> {
      final List<CommandLine> commands = parsed.asCommandLineList();
      final CommandLine command = commands.get(commands.size() - 1);
      final boolean help = commands.stream()
          .anyMatch(c -> c.isUsageHelpRequested() || c.isVersionHelpRequested());
      if (!help && unknown != null
          && command.getDefaultValueProvider() instanceof SettingsDefaultProvider) {
        throw new CommandLine.ParameterException(command, unknown);
      }
      if (!help && unknownKafka != null && KAFKA_COMMANDS.contains(command.getCommandName())) {
        throw new CommandLine.ParameterException(command, unknownKafka);
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    return cli;
  }

  /** The long option names of every command, without dashes. */
  private static Set<String> optionNames(final CommandLine cli) {
    final Set<String> names = new TreeSet<>();
    for (final CommandLine command : cli.getSubcommands().values()) {
      for (final CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
        if (!option.usageHelp() && !option.versionHelp()) {
          names.add(option.longestName().replaceFirst("^--", ""));
        }
      }
    }
    return names;
  }

  private static CommandLine commandLine(
      final Map<String, String> environment, final PrintWriter out, final PrintWriter err) {
    final CommandLine cli = new CommandLine(new Main(environment));
    cli.setOut(out);
    cli.setErr(err);
    // a bad flag or value is one line and exit code 2, not a page of usage
    cli.setParameterExceptionHandler((e, args) -> {
      final CommandLine failed = e.getCommandLine();
      final String origin = e.getArgSpec() instanceof CommandLine.Model.OptionSpec option
          ? SettingsCheck.origin(failed.getCommandSpec(), option.longestName(), List.of(args))
          : null;
      failed.getErr().println("gradstream: " + (origin == null ? "" : origin + ": ")
          + e.getMessage() + didYouMean(e) + " (see '" + failed.getCommandSpec().qualifiedName()
          + " --help')");
      return USAGE;
    });
    // an operational failure (a port in use, Kafka refusing) is one line; a bug keeps its trace
    cli.setExecutionExceptionHandler((e, failed, parsed) -> {
      final PrintWriter printer = failed.getErr();
      printer.println("gradstream " + failed.getCommandName() + ": " + e.getMessage());
      if (e instanceof SettingsMismatchException || e instanceof StateOwner.ForeignStateException
          || e instanceof RegistryRefusalException) {
        return USAGE; // the settings given do not fit the stored models
      }
      if (!(e instanceof IOException || e instanceof KafkaException)) {
        e.printStackTrace(printer);
      }
      return FAILURE;
    });
    return cli;
  }

  /** For a misspelt flag or command, the closest the command has, as "; did you mean X?". */
  private static String didYouMean(final CommandLine.ParameterException e) {
    if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched)
        || unmatched.getUnmatched().isEmpty()) {
      return "";
    }
    final String given = unmatched.getUnmatched().get(0).replaceFirst("=.*", "");
    final CommandLine.Model.CommandSpec command = e.getCommandLine().getCommandSpec();
    final Set<String> known = new TreeSet<>();
    if (given.startsWith("-")) {
      command.options().forEach(o -> known.addAll(List.of(o.names())));
    } else {
      known.addAll(command.subcommands().keySet());
    }
    return DidYouMean.suggestion(given, known);
  }

  private static SettingsFile settingsFile(final String[] args) throws IOException {
    final List<String> list = List.of(args);
    for (int i = 0; i < list.size(); i++) {
      final String arg = list.get(i);
      if (arg.equals("--config") && i + 1 < list.size()) {
        return SettingsFile.read(Path.of(list.get(i + 1)));
      }
      if (arg.startsWith("--config=")) {
        return SettingsFile.read(Path.of(arg.substring("--config=".length())));
      }
    }
    return SettingsFile.empty();
  }

  /** Without a command there is nothing to do: a usage error, as a bad flag is. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "a command is required: demo, run, feed, tail, replay, export, import or bench");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"gradstream " + BuildInfo.version()};
    }
  }
}
