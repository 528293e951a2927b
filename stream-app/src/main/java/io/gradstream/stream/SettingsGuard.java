package io.gradstream.stream;

import io.gradstream.learn.Layers;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.metrics.TrainingMeters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Compares a stored model with the running settings when it is loaded, and applies the operator's
 * {@link OnSettingsChange} to a model that differs. A model stored before settings were recorded is
 * compared by its shape only.
 */
final class SettingsGuard {
  private final ModelSpec running;
  private final SortedMap<String, String> runningSettings;
  /** The running shape of a network, derived once; null for one neuron. */
  private final Layers runningLayers;
  private final OnSettingsChange policy;
  private final TrainingMeters meters;

  SettingsGuard(final ModelSpec running, final OnSettingsChange policy,
      final TrainingMeters meters) {
    this.running = running;
    this.runningSettings = running.stepSettings();
    this.runningLayers = running.layers();
    this.policy = policy;
    this.meters = meters;
    meters.registerSettingsChanges(Arrays.stream(OnSettingsChange.values())
        .filter(p -> p != OnSettingsChange.REFUSE).map(OnSettingsChange::id).toList());
  }

  /**
   * The model to train for {@code key}: the stored one, or under reset a new one.
   *
   * @throws SettingsMismatchException under refuse, and under keep when the shape differs
   */
  Model adopt(final String key, final ModelSerde.Stored stored) {
    final List<String> differences = differences(stored);
    final String refusal = refusal(key, stored, differences);
    if (refusal != null) {
      throw new SettingsMismatchException(refusal);
    }
    if (differences.isEmpty()) {
      // a model that lacks its scaler (imported without one) scales from nothing seen
      return withScaler(withState(stored, true));
    }
    meters.settingsChanged(policy.id());
    return policy == OnSettingsChange.RESET ? Model.initial(running) : withScaler(withState(
        stored, Objects.equals(setting(stored.settings(), "optimizer"),
            setting(runningSettings, "optimizer"))));
  }

  /**
   * A model kept across --scale: scaling from nothing seen when it starts to, without its scaler
   * when it stops.
   */
  private Model withScaler(final Model model) {
    final boolean scales = running.scaling() != FeatureScaling.NONE;
    return scales == (model.scaler() != null) ? model
        : model.withScaler(Model.freshScaler(running));
  }

  /**
   * The stored model with its optimizer state when that belongs to the running optimizer, else
   * with the running optimizer's fresh state (a model kept across optimizers, or stored before it
   * had one).
   */
  private Model withState(final ModelSerde.Stored stored, final boolean sameOptimizer) {
    final Model model = stored.model();
    return sameOptimizer && model.optimizerState().length == running.optimizerStateSize() ? model
        : model.withFreshState(running);
  }

  /** A setting's value, or the value it had before it was stored when {@code settings} lack it. */
  private static String setting(final SortedMap<String, String> settings, final String name) {
    return settings.getOrDefault(name, ModelSpec.STEP_SETTINGS_BEFORE.get(name));
  }

  /** Why {@code stored} may not be trained under the running settings; null when it may. */
  String refusal(final String key, final ModelSerde.Stored stored) {
    return refusal(key, stored, differences(stored));
  }

  private String refusal(final String key, final ModelSerde.Stored stored,
      final List<String> differences) {
    final Model model = stored.model();
    final boolean sameShape = model.features() == running.features()
        && model.hasBias() == running.bias() && Objects.equals(model.layers(), runningLayers)
        && model.hashBits() == running.hashBits();
    if (differences.isEmpty() || policy == OnSettingsChange.RESET
        || (policy == OnSettingsChange.KEEP && sameShape)) {
      return null;
    }
    return "the stored model '" + key + "' (" + model.count()
        + " steps) differs from the running settings: " + String.join(", ", differences)
        + (policy == OnSettingsChange.KEEP
            ? "; keep cannot keep weights of another shape: start with its settings, or choose "
                + "--on-settings-change reset"
            : "; start with the settings it was trained with, or choose --on-settings-change "
                + "reset (start such models again) or keep (step them under the new settings)");
  }

  /** "name was → now" for each setting that differs; the shape always, the rest when recorded. */
  private List<String> differences(final ModelSerde.Stored stored) {
    final Model model = stored.model();
    final List<String> differences = new ArrayList<>();
    if (!stored.settings().isEmpty()) {
      final SortedMap<String, String> all = new TreeMap<>(stored.settings());
      all.putAll(runningSettings);
      all.keySet().forEach(name -> {
        final String was = setting(stored.settings(), name);
        final String now = setting(runningSettings, name);
        if (!Objects.equals(was, now)) {
          differences.add(name + " " + (was == null ? "none" : was) + " → "
              + (now == null ? "none" : now));
        }
      });
    }
    if (model.features() != running.features()) {
      differences.add("features " + model.features() + " → " + running.features());
    }
    if (stored.settings().isEmpty() && !Objects.equals(model.layers(), runningLayers)) {
      differences.add("layers " + model.layers() + " → " + runningLayers);
    }
    if (model.hasBias() != running.bias()) {
      differences.add("bias " + model.hasBias() + " → " + running.bias());
    }
    return differences;
  }
}
