package io.gradstream.stream;

import io.gradstream.learn.Model;
import io.gradstream.learn.race.RaceSpec;
import io.gradstream.metrics.TrainingMeters;
import java.util.ArrayList;
import java.util.List;

/**
 * What a stored race becomes under the running settings, and a stored model under a running race.
 * A race is part of a key's stored settings: the same variants, half-life and warm-up keep the
 * race, each variant's model then judged by its own variant's {@link SettingsGuard}; any other
 * race, a race where one model was stored, or one model where a race was, follows {@link
 * OnSettingsChange}: reset starts the key again, refuse stops, and keep refuses too (a race's
 * variants are not carried across a change of the race).
 */
final class RaceGuard {
  /** The running race; null when the service trains one model per key. */
  private final RaceSpec running;
  private final List<SettingsGuard> variants = new ArrayList<>();
  private final OnSettingsChange policy;
  private final TrainingMeters meters;

  RaceGuard(final RaceSpec running, final OnSettingsChange policy, final TrainingMeters meters) {
    this.running = running;
    this.policy = policy;
    this.meters = meters;
    if (running != null) {
      running.specs().forEach(spec -> variants.add(new SettingsGuard(spec, policy, meters)));
    }
  }

  /**
   * The race to go on with for a stored race or (under a running race) a stored model; null when
   * the key starts again (reset).
   *
   * @throws SettingsMismatchException when the policy does not allow the change
   */
  RacedModels adopt(final String key, final byte[] bytes) {
    final RaceSerde.Stored stored = RaceSerde.isRace(bytes) ? RaceSerde.read(bytes) : null;
    final String change = change(stored);
    if (change != null) {
      final String refusal = refusal(key, change);
      if (refusal != null) {
        throw new SettingsMismatchException(refusal);
      }
      meters.settingsChanged(policy.id());
      return null;
    }
    final Model[] models = new Model[running.variants()];
    for (int v = 0; v < models.length; v++) {
      final ModelSerde.Stored model = stored.models().get(v);
      models[v] = model == null ? null : variants.get(v).adopt(key, model);
    }
    return new RacedModels(models, stored.race());
  }

  /** Why a stored race (or model, under a race) may not be trained now; null when it may. */
  String refusal(final String key, final byte[] bytes) {
    final RaceSerde.Stored stored = RaceSerde.isRace(bytes) ? RaceSerde.read(bytes) : null;
    final String change = change(stored);
    if (change != null) {
      return refusal(key, change);
    }
    for (int v = 0; v < running.variants(); v++) {
      final ModelSerde.Stored model = stored.models().get(v);
      final String refusal = model == null ? null : variants.get(v).refusal(key + " (variant "
          + running.names().get(v) + ")", model);
      if (refusal != null) {
        return refusal;
      }
    }
    return null;
  }

  private String refusal(final String key, final String change) {
    return policy == OnSettingsChange.RESET ? null : "the stored model '" + key + "' "
        + change + (policy == OnSettingsChange.KEEP
            ? "; keep does not carry a race's variants across a change of the race: start with "
                + "the race it was trained with, or choose --on-settings-change reset"
            : "; start with the race it was trained with, or choose --on-settings-change reset "
                + "(start such keys again)");
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
