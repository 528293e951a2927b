package io.gradstream.learn.race;

import io.gradstream.learn.Model;
import java.util.Collections;
import java.util.List;

/**
 * Where a key's race stood when it was last stored, as queries show it: every variant's name and
 * model (null for one that has not stepped), its weighted loss (NaN before its first step), the
 * key's training events, and the variant that serves its predictions.
 *
 * @param serving the index of the variant that answers for the key: its champion, else (before
 *     its first step) the first with a model
 */
public record RaceStanding(List<String> names, int serving, long events, double[] lossEwma,
    List<Model> models) {
  public RaceStanding {
    names = List.copyOf(names);
    models = Collections.unmodifiableList(models);
    if (models.size() != names.size() || lossEwma.length != names.size()
        || models.get(serving) == null) {
      throw new IllegalArgumentException("a standing of " + names.size() + " variants, each "
          + "with its model and weighted loss, served by one that has a model");
    }
  }

  /** The serving variant's name. */
  public String variant() {
    return names.get(serving);
  }
}
