package io.gradstream.learn.race;

import io.gradstream.learn.ModelSpec;
import java.util.List;

/**
 * A race: each variant's name (its settings, as SETTING=VALUE joined by ',') and model spec, in
 * the order ties are broken, and the rule that names each key's champion.
 */
public record RaceSpec(List<String> names, List<ModelSpec> specs, RaceRule rule) {
  public RaceSpec {
    names = List.copyOf(names);
    specs = List.copyOf(specs);
    if (names.size() != specs.size() || names.size() < 2) {
      throw new IllegalArgumentException("a race of two variants or more, each named");
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("race variants are named twice: " + names);
    }
  }

  public int variants() {
    return names.size();
  }

  public int indexOf(final String name) {
    return names.indexOf(name);
  }
}
