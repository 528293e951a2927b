package io.gradstream.cli;

import io.gradstream.learn.race.RaceRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * {@code --race}: the settings a key's variants differ in, as a cross product (the first
 * setting's values slowest), with the rule that names each key's champion.
 */
final class RaceOptions {
  /** The most variants a race may have: each is a model of its own per key. */
  static final int MAX_VARIANTS = 16;
  /** The settings a race can vary: how a model steps, not its shape. */
  static final Set<String> RACEABLE = Set.of("learning-rate", "optimizer", "momentum", "beta1",
      "beta2", "weight-decay", "clip-norm");

  @Option(names = "--race", paramLabel = "SETTING=V1,V2,...",
      description = "Race variants of each key's model that differ in this setting (one of "
          + "learning-rate, optimizer, momentum, beta1, beta2, weight-decay, clip-norm); given "
          + "again, the cross product; at most 16 variants.")
  List<String> race = new ArrayList<>();

  @Option(names = "--race-half-life", paramLabel = "H",
      defaultValue = "" + RaceRule.DEFAULT_HALF_LIFE,
      description = "Events after which a variant's loss weighs half in its moving average "
          + "(default: ${DEFAULT-VALUE}).")
  double halfLife;

  @Option(names = "--race-warmup", paramLabel = "N", defaultValue = "" + RaceRule.DEFAULT_WARMUP,
      description = "A key's events before its champion is chosen by loss; until then the "
          + "first variant serves (default: ${DEFAULT-VALUE}).")
  long warmup;

  boolean racing() {
    return !race.isEmpty();
  }

  RaceRule rule() {
    return new RaceRule(halfLife, warmup);
  }

  /**
   * Each variant's settings by option name, in the cross product's order; a bad race is an
   * {@link IllegalArgumentException}, as is one that varies a setting also given on its own.
   */
  List<Map<String, String>> variants(final ParseResult given) {
    List<Map<String, String>> variants = List.of(new LinkedHashMap<>());
    for (final String setting : race) {
      final int equals = setting.indexOf('=');
      final String name = equals < 0 ? setting : setting.substring(0, equals);
      if (!RACEABLE.contains(name)) {
        throw new IllegalArgumentException("race '" + setting + "': a race varies one of "
            + String.join(", ", RACEABLE.stream().sorted().toList()) + ", as SETTING=V1,V2");
      }
      if (given != null && given.hasMatchedOption("--" + name)) {
        throw new IllegalArgumentException("race " + name + " and --" + name + " exclude each "
            + "other: the race gives each variant its " + name);
      }
      final String[] values = setting.substring(equals + 1).split(",", -1);
      final List<Map<String, String>> product = new ArrayList<>();
      for (final Map<String, String> variant : variants) {
        if (variant.containsKey(name)) {
          throw new IllegalArgumentException("race " + name + " is given twice");
        }
        for (final String value : values) {
          if (value.isBlank()) {
            throw new IllegalArgumentException("race '" + setting + "' has an empty value");
          }
          final Map<String, String> next = new LinkedHashMap<>(variant);
          next.put(name, value.strip());
          product.add(next);
        }
      }
      if (product.size() > MAX_VARIANTS) {
        throw new IllegalArgumentException("race of " + product.size() + " variants: at most "
            + MAX_VARIANTS);
      }
      variants = product;
    }
    if (variants.size() < 2) {
      throw new IllegalArgumentException("a race needs two variants or more, got "
          + variants.size());
    }
    return variants;
  }

  /** A variant's name: its settings as SETTING=VALUE, joined by ','. */
  static String name(final Map<String, String> variant) {
    final StringBuilder name = new StringBuilder();
    variant.forEach((k, v) -> name.append(name.length() == 0 ? "" : ",").append(k).append('=')
        .append(v));
    return name.toString();
  }
}
