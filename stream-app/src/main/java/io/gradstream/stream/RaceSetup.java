package io.gradstream.stream;

import io.gradstream.learn.race.RaceSpec;
import io.gradstream.step.EventRules;
import java.util.List;

/** A race as the stream runs it: the race, and each variant's event rules in its order. */
public record RaceSetup(RaceSpec spec, List<EventRules> rules) {
  public RaceSetup {
    rules = List.copyOf(rules);
    if (rules.size() != spec.variants()) {
      throw new IllegalArgumentException("a race of " + spec.variants() + " variants needs as "
          + "many event rules, got " + rules.size());
    }
  }
}
