package io.gradstream.stream;

import io.gradstream.learn.evaluate.DriftSettings;
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

  /**
   * Refuses what the stream does not race yet (replay does): drift detection, whose records do
   * not name a variant.
   */
  public RaceSetup streamable() {
    for (final EventRules each : rules) {
      if (each.evaluation() != null
          && !DriftSettings.NONE.equals(each.evaluation().drift().detector())) {
        throw new IllegalArgumentException("race and --drift: not built yet (a drift of one "
            + "variant has no record that names it); race without --drift, or --drift without "
            + "a race");
      }
    }
    return this;
  }
}
