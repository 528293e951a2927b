package io.gradstream.cli;

import io.gradstream.config.SettingsDefaultProvider;
import io.gradstream.learn.ModelSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/** Turns a refused setting into picocli's usage error: one line, exit code 2. */
final class SettingsCheck {
  private SettingsCheck() {}

  /** Settings that are valid but will not learn, one line each on the command's log. */
  static void warn(final ModelSpec spec, final PrintWriter log) {
    for (final String warning : spec.warnings()) {
      log.println("gradstream: warning: " + warning);
    }
  }

  /**
   * The settings, or a usage error. A refused setting is named by where its value came from when
   * that was not the command line (GRADSTREAM_LEARNING_RATE=-1: ...): the checks' messages begin
   * with the setting's name, the option's name with spaces for dashes ("learning rate must ...").
   */
  static <T> T check(final CommandSpec spec, final Supplier<T> settings) {
    try {
      return settings.get();
    } catch (final IllegalArgumentException e) {
      String origin = null;
      for (final OptionSpec option : spec.options()) {
        final String words = option.longestName().substring(2).replace('-', ' ');
        if (e.getMessage().startsWith(words + " ")) {
          origin = origin(spec, option.longestName(), spec.commandLine().getParseResult()
              .originalArgs());
          break;
        }
      }
      throw new ParameterException(spec.commandLine(),
          (origin == null ? "" : origin + ": ") + e.getMessage(), e);
    }
  }

  /**
   * Where the value of {@code option} came from when it was not given in {@code args}: an
   * environment variable or the --config file; null when it was given, or is the default.
   */
  static String origin(final CommandSpec spec, final String option, final List<String> args) {
    if (!(spec.defaultValueProvider() instanceof SettingsDefaultProvider provider)) {
      return null;
    }
    final String name = option.substring(2);
    for (final String arg : args) {
      if (arg.equals(option) || arg.startsWith(option + "=") || arg.equals("--no-" + name)) {
        return null;
      }
    }
    return provider.origin(name);
  }
}
