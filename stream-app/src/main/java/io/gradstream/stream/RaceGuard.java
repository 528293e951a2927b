package io.gradstream.stream;

import io.gradstream.learn.Model;
import io.gradstream.learn.race.KeyRace;
import io.gradstream.learn.race.RaceSpec;
import io.gradstream.metrics.TrainingMeters;
import java.util.ArrayList;
import java.util.List;

/**
 * What a stored race becomes under the running settings, and a stored model under a running race
 * (or a stored race under one model per key). A race is part of a key's stored settings: the same
 * variants, half-life and warm-up keep the race, each variant's model then judged by its own
 * variant's {@link SettingsGuard}. Any other race, a race where one model was stored, or one model
 * where a race was, follows {@link OnSettingsChange}: refuse stops, reset starts the key again, and
 * keep carries over what has a place in the running settings: each variant whose name is still
 * raced keeps its model and weighted loss (new variants start afresh, the key's events go on), a
 * stored model starts every variant of a new race, and one model per key goes on from the stored
 * race's champion; each kept model is judged by its own guard (keep, so another shape still stops).
 */
final class RaceGuard {
  /** The running race; null when the service trains one model per key. */
  private final RaceSpec running;
  /** One model per key's guard, for a stored race's champion kept as the key's model. */
  private final SettingsGuard single;
  private final List<SettingsGuard> variants = new ArrayList<>();
  private final OnSettingsChange policy;
  private final TrainingMeters meters;

  /**
   * @param running the running race; null for one model per key
   * @param single the guard of one model per key (the running spec's)
   */
  RaceGuard(final RaceSpec running, final SettingsGuard single, final OnSettingsChange policy,
      final TrainingMeters meters) {
    this.running = running;
    this.single = single;
    this.policy = policy;
    this.meters = meters;
    if (running != null) {
      running.specs().forEach(spec -> variants.add(new SettingsGuard(spec, policy, meters)));
    }
  }

  /**
   * Under a running race: the race to go on with for a stored race or model; null when the key
   * starts again (reset, or nothing kept).
   *
   * @throws SettingsMismatchException when the policy does not allow the change
   */
  RacedModels adopt(final String key, final byte[] bytes) {
    final RaceSerde.Stored stored = RaceSerde.isRace(bytes) ? RaceSerde.read(bytes) : null;
    final String change = change(stored);
    if (change == null) {
      final Model[] models = new Model[running.variants()];
      for (int v = 0; v < models.length; v++) {
        final ModelSerde.Stored model = stored.models().get(v);
        models[v] = model == null ? null : variants.get(v).adopt(key, model);
      }
      return new RacedModels(models, stored.race());
    }
    refuseUnlessAllowed(key, change);
    meters.settingsChanged(policy.id());
    if (policy == OnSettingsChange.RESET) {
      return null;
    }
    final Model[] models = new Model[running.variants()];
    final double[] losses = new double[models.length];
    int champion = -1;
    for (int v = 0; v < models.length; v++) {
      // a stored model is read for each variant anew: each steps its own
      final ModelSerde.Stored model = kept(stored == null ? bytes : null, stored, v);
      models[v] = model == null ? null : variants.get(v).adopt(key, model);
      final int was = stored == null ? -1 : stored.names().indexOf(running.names().get(v));
      losses[v] = was < 0 ? Double.NaN : stored.race().lossEwma(was);
      champion = was >= 0 && was == stored.race().champion() ? v : champion;
    }
    return new RacedModels(models, stored == null ? new KeyRace(models.length)
        : KeyRace.restore(losses, stored.race().events(), champion));
  }

  /**
   * Under one model per key: the model to go on with for a stored race (keep: its champion's);
   * null when the key starts again (reset).
   *
   * @throws SettingsMismatchException under refuse, and under keep for another shape
   */
  Model adoptOne(final String key, final byte[] bytes) {
    final RaceSerde.Stored stored = RaceSerde.read(bytes);
    refuseUnlessAllowed(key, change(stored));
    meters.settingsChanged(policy.id());
    return policy == OnSettingsChange.RESET ? null
        : single.adopt(key, stored.models().get(stored.servingVariant()));
  }

  /** Why a stored race (or model, under a race) may not be trained now; null when it may. */
  String refusal(final String key, final byte[] bytes) {
    final RaceSerde.Stored stored = RaceSerde.isRace(bytes) ? RaceSerde.read(bytes) : null;
    final String change = change(stored);
    if (change != null && policy != OnSettingsChange.KEEP) {
      return refusal(key, change);
    }
    if (running == null) {
      return policy == OnSettingsChange.RESET ? null
          : single.refusal(key, stored.models().get(stored.servingVariant()));
    }
    for (int v = 0; v < running.variants(); v++) {
      final ModelSerde.Stored model = change == null ? stored.models().get(v)
          : kept(stored == null ? bytes : null, stored, v);
      final String refusal = model == null ? null : variants.get(v).refusal(key + " (variant "
          + running.names().get(v) + ")", model);
      if (refusal != null) {
        return refusal;
      }
    }
    return null;
  }

  /**
   * What running variant {@code v} keeps of a changed race: the stored model ({@code one}) of a
   * key that had no race, else the stored variant of the same name; null for none.
   */
  private ModelSerde.Stored kept(final byte[] one, final RaceSerde.Stored stored, final int v) {
    if (one != null) {
      return ModelSerde.reader().read(one);
    }
    final int was = stored.names().indexOf(running.names().get(v));
    return was < 0 ? null : stored.models().get(was);
  }

  private void refuseUnlessAllowed(final String key, final String change) {
    if (policy == OnSettingsChange.REFUSE) {
      throw new SettingsMismatchException(refusal(key, change));
    }
  }

  private static String refusal(final String key, final String change) {
    return "the stored model '" + key + "' " + change + "; start with the race it was trained "
        + "with, or choose --on-settings-change reset (start such keys again) or keep (carry "
        + "over the variants still raced)";
  }

  /** How the stored race differs from the running one; null when it is the same race. */
  private String change(final RaceSerde.Stored stored) {
    if (stored == null) {
      return "is one model, the running settings race " + running.names();
    }
    if (running == null) {
      return "is a race of " + stored.names() + ", the running settings train one model";
    }
    if (!stored.names().equals(running.names())) {
      return "is a race of " + stored.names() + ", the running race is of " + running.names();
    }
    if (!stored.rule().equals(running.rule())) {
      return "was raced with half-life " + stored.rule().halfLife() + " and warm-up "
          + stored.rule().warmup() + ", the running race has " + running.rule().halfLife()
          + " and " + running.rule().warmup();
    }
    return null;
  }
}
