package io.gradstream.config;

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
    for (final String variable : new TreeSet<>(environment.keySet())) {
      if (variable.startsWith(ENV_PREFIX) && !known.contains(variable)) {
        return "unknown setting " + variable + " in the environment" + closest(variable, known)
            + " (GRADSTREAM_<OPTION> sets an option of run, demo, replay or feed)";
      }
    }
    return null;
  }

  private static String closest(final String variable, final Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (final String candidate : known) {
      final int distance = editDistance(variable, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best != null && bestDistance <= 3 ? "; did you mean " + best + "?" : "";
  }

  /** Levenshtein distance: insertions, deletions and substitutions of one character. */
  static int editDistance(final String a, final String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      final int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** "learning-rate" → "GRADSTREAM_LEARNING_RATE". */
  public static String envName(final String optionName) {
    return ENV_PREFIX + optionName.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
