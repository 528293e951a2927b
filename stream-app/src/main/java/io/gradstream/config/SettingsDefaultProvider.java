package io.gradstream.config;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where a setting comes from when its flag is absent: first the environment ({@code
 * GRADSTREAM_LEARNING_RATE} for {@code --learning-rate}; {@code KAFKA_BOOTSTRAP_SERVERS} for {@code
 * --bootstrap-servers} too), then the {@code --config} file, then the command's own defaults
 * (the demo's differ from the product's), then the option's default. Values from here go through
 * the same conversion and checks as flags.
 */
public final class SettingsDefaultProvider implements IDefaultValueProvider {
  public static final String ENV_PREFIX = "GRADSTREAM_";

  private final Map<String, String> environment;
  private final SettingsFile file;
  private final Map<String, String> commandDefaults;

  public SettingsDefaultProvider(final Map<String, String> environment, final SettingsFile file,
      final Map<String, String> commandDefaults) {
    this.environment = environment;
    this.file = file;
    this.commandDefaults = commandDefaults;
  }

  @Override
  public String defaultValue(final ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
      return null;
    }
    final String name = option.longestName().substring(2);
    final String env = environment.get(envName(name));
    if (env != null) {
      return env;
    }
    if (name.equals("bootstrap-servers") && environment.containsKey("KAFKA_BOOTSTRAP_SERVERS")) {
      return environment.get("KAFKA_BOOTSTRAP_SERVERS");
    }
    return file.gradstream().getOrDefault(name, commandDefaults.get(name));
  }

  /** "learning-rate" → "GRADSTREAM_LEARNING_RATE". */
  public static String envName(final String optionName) {
    return ENV_PREFIX + optionName.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
