package io.gradstream.stream;

import io.gradstream.learn.Model;
import io.gradstream.learn.race.KeyRace;
import java.util.function.IntFunction;

/**
 * A raced key's live value: each variant's model (null until it first steps) and the key's race.
 * As an {@link IntFunction}, each variant's model, for the meters.
 */
final class RacedModels implements IntFunction<Model> {
  private final Model[] models;
  private final KeyRace race;

  RacedModels(final Model[] models, final KeyRace race) {
    this.models = models;
    this.race = race;
  }

  /** A key's race before its first event. */
  static RacedModels fresh(final int variants) {
    return new RacedModels(new Model[variants], new KeyRace(variants));
  }

  Model model(final int variant) {
    return models[variant];
  }

  @Override
  public Model apply(final int variant) {
    return models[variant];
  }

  /** Variant {@code variant} goes on with {@code model} (its first, or a drift's fresh one). */
  void set(final int variant, final Model model) {
    models[variant] = model;
  }

  KeyRace race() {
    return race;
  }

  int variants() {
    return models.length;
  }
}
