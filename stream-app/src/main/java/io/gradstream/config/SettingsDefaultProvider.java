package io.gradstream.config;

import io.gradstream.registry.RegistrySettings;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
    final String variable = variable(name);
    if (variable != null) {
      return environment.get(variable);
    }
    return file.gradstream().getOrDefault(name, commandDefaults.get(name));
  }

  /**
   * Where the value of option {@code name} (without dashes) comes from when its flag is absent, as
   * a person would look for it ({@code GRADSTREAM_LEARNING_RATE=-1}, {@code learning-rate=fast in
   * app.properties}); null when it is the command's own default.
   */
  public String origin(final String name) {
    final String variable = variable(name);
    if (variable != null) {
      return variable + "=" + environment.get(variable);
    }
    final String value = file.gradstream().get(name);
    return value == null ? null : name + "=" + value + " in " + file.name();
  }

  /** The environment variable that sets option {@code name}, or null when none is set. */
  private String variable(final String name) {
    if (environment.containsKey(envName(name))) {
      return envName(name);
    }
    if (name.equals("bootstrap-servers") && environment.containsKey("KAFKA_BOOTSTRAP_SERVERS")) {
      return "KAFKA_BOOTSTRAP_SERVERS";
    }
    return null;
  }

  /**
   * What is wrong with the {@code GRADSTREAM_*} variables of {@code environment}, or null: a name
   * that sets no option of any command is a misspelling, which would otherwise leave a setting at
   * its default without a word. (A variable for another command's option is fine: one environment
   * often serves several commands.)
   */
  public static String unknownVariable(final Map<String, String> environment,
      final Set<String> optionNames) {
    final Set<String> known = new TreeSet<>();
    optionNames.forEach(name -> known.add(envName(name)));
    known.add(ServiceSettings.ADMIN_TOKEN_VARIABLE);
    known.add(ServiceSettings.PREDICT_TOKEN_VARIABLE);
    known.add(RegistrySettings.BASIC_AUTH_VARIABLE);
    known.add(RegistrySettings.TRUSTSTORE_PASSWORD_VARIABLE);
    for (final String variable : new TreeSet<>(environment.keySet())) {
      if (variable.startsWith(ENV_PREFIX) && !known.contains(variable)) {
        return "unknown setting " + variable + " in the environment"
            + DidYouMean.suggestion(variable, known)
            + " (GRADSTREAM_<OPTION> sets an option of run, demo, replay or feed)";
      }
    }
    return null;
  }

  /** "learning-rate" → "GRADSTREAM_LEARNING_RATE". */
  public static String envName(final String optionName) {
    return ENV_PREFIX + optionName.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
