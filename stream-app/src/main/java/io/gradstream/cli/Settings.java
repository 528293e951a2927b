package io.gradstream.cli;

import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Turns a refused setting into picocli's usage error: one line, exit code 2. */
final class Settings {
  private Settings() {}

  static <T> T check(final CommandSpec spec, final Supplier<T> settings) {
    try {
      return settings.get();
    } catch (final IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
