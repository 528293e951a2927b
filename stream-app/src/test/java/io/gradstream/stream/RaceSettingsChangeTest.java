package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.learn.race.KeyRace;
import io.gradstream.learn.race.RaceRule;
import io.gradstream.learn.race.RaceSpec;
import io.gradstream.metrics.TrainingMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A race is part of a key's stored settings: the same race goes on where it was stored (each
 * variant judged against its own settings); any other race, or a race met where one model was
 * stored (or the reverse), is refused with a line that says what differs, reset, or under keep
 * carries over what still has a place: the variants still raced, a model into every variant, a
 * race's champion into one model; the check before the start says the same.
 */
class RaceSettingsChangeTest {
  private static final RaceRule RULE = new RaceRule(50, 10);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TrainingMeters meters = new TrainingMeters(registry, 0);
  private final KeyValueStore<Bytes, byte[]> inner = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore(TrainingTopology.STORE), Serdes.Bytes(), Serdes.ByteArray())
      .withLoggingDisabled().build();

  {
    inner.init(new MockProcessorContext<>().getStateStoreContext(), inner);
  }

  private static ModelSpec spec(final double eta, final String optimizer) {
    return new ModelSpec(2, true, Activation.TANH, eta, null, 0.0, Loss.SQUARED,
        OptimizerSettings.of(OptimizerKind.named(optimizer)));
  }

  private static RaceSpec race(final double... rates) {
    final List<String> names = Arrays.stream(rates).mapToObj(r -> "learning-rate=" + r)
        .toList();
    final List<ModelSpec> specs = Arrays.stream(rates).mapToObj(r -> spec(r, "sgd"))
        .toList();
    return new RaceSpec(names, specs, RULE);
  }

  /** A race of {@code spec}'s variants stored under {@code key}: two stepped, champion 1. */
  private byte[] storeRace(final String key, final RaceSpec spec) {
    final KeyRace keyRace = new KeyRace(spec.variants());
    keyRace.stepped(0, 0.5, spec.rule());
    keyRace.stepped(1, 0.25, spec.rule());
    for (int e = 0; e < spec.rule().warmup(); e++) {
      keyRace.decide(spec.rule());
    }
    final Model[] models = new Model[spec.variants()];
    models[0] = new Model(new double[] {0.5, -0.25}, true, 0.125, 7, 0.75);
    models[1] = new Model(new double[] {1.5, 2.5}, true, -1, 7, 0.5);
    final byte[] bytes = new RaceSerde(spec).toBytes(new RacedModels(models, keyRace));
    inner.put(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)), bytes);
    return bytes;
  }

  private ModelStore store(final ModelSpec single, final RaceSpec running,
      final OnSettingsChange policy) {
    final SettingsGuard guard = new SettingsGuard(single, policy, meters);
    return new ModelStore(inner, Long.MAX_VALUE, new ModelSerde(single.stepSettings()), guard,
        running == null ? null : new RaceSerde(running), new RaceGuard(running, guard, policy,
        meters));
  }

  private ModelStore.Live load(final String key, final ModelSpec single, final RaceSpec running,
      final OnSettingsChange policy) {
    return store(single, running, policy).load(key.getBytes(StandardCharsets.UTF_8), key);
  }

  private double changed(final String action) {
    final var counter = registry.find("gradstream.models.settings.changed").tag("action", action)
        .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void theSameRaceGoesOnWhereItWasStoredUnderEveryPolicy() {
    final RaceSpec running = race(0.01, 0.1, 1);
    storeRace("k", running);
    for (final OnSettingsChange policy : OnSettingsChange.values()) {
      final ModelStore.Live live = load("k", spec(0.01, "sgd"), running, policy);
      assertThat(live.model).isNull();
      assertThat(live.race.model(0).weights()).containsExactly(0.5, -0.25);
      assertThat(live.race.model(1).bias()).isEqualTo(-1);
      assertThat(live.race.model(2)).as("a variant that has not stepped").isNull();
      assertThat(live.race.race().champion()).isEqualTo(1);
      assertThat(live.race.race().events()).isEqualTo(RULE.warmup());
      assertThat(live.race.race().lossEwma(1)).isEqualTo(0.25);
      assertThat(Double.isNaN(live.race.race().lossEwma(2))).isTrue();
    }
    assertThat(changed("reset") + changed("keep")).isZero();
  }

  @Test
  void anotherRaceIsRefusedNamingBothRacesOrResetOrKeepsTheVariantsStillRaced() {
    storeRace("k", race(0.01, 0.1, 1));
    final RaceSpec other = race(0.01, 0.1);
    assertThatThrownBy(() -> load("k", spec(0.01, "sgd"), other, OnSettingsChange.REFUSE))
        .isInstanceOf(SettingsMismatchException.class)
        .hasMessage("the stored model 'k' is a race of [learning-rate=0.01, learning-rate=0.1, "
            + "learning-rate=1.0], the running race is of [learning-rate=0.01, "
            + "learning-rate=0.1]; start with the race it was trained with, or choose "
            + "--on-settings-change reset (start such keys again) or keep (carry over the "
            + "variants still raced)");
    assertThat(load("k", spec(0.01, "sgd"), other, OnSettingsChange.RESET)).isNull();
    assertThat(changed("reset")).isEqualTo(1);

    // keep: both variants still raced keep their models, weighted losses and the champion
    final ModelStore.Live fewer = load("k", spec(0.01, "sgd"), other, OnSettingsChange.KEEP);
    assertThat(fewer.race.model(0).weights()).containsExactly(0.5, -0.25);
    assertThat(fewer.race.model(1).weights()).containsExactly(1.5, 2.5);
    assertThat(fewer.race.race().champion()).isEqualTo(1);
    assertThat(fewer.race.race().lossEwma(1)).isEqualTo(0.25);
    assertThat(fewer.race.race().events()).isEqualTo(RULE.warmup());
    assertThat(changed("keep")).isEqualTo(1);
    // a new variant starts afresh; the champion, no longer raced, is chosen again
    final ModelStore.Live another = load("k", spec(0.01, "sgd"), race(0.01, 0.3),
        OnSettingsChange.KEEP);
    assertThat(another.race.model(0).weights()).containsExactly(0.5, -0.25);
    assertThat(another.race.model(1)).isNull();
    assertThat(Double.isNaN(another.race.race().lossEwma(1))).isTrue();
    assertThat(another.race.race().champion()).isEqualTo(-1);

    // the same variants under another rule are another race
    final RaceSpec slower = new RaceSpec(race(0.01, 0.1, 1).names(),
        race(0.01, 0.1, 1).specs(), new RaceRule(200, 10));
    assertThatThrownBy(() -> load("k", spec(0.01, "sgd"), slower, OnSettingsChange.REFUSE))
        .hasMessageContaining("was raced with half-life 50.0 and warm-up 10, the running race "
            + "has 200.0 and 10");
  }

  @Test
  void aRaceWhereOneModelWasStoredAndOneModelWhereARaceWasFollowThePolicy() {
    final ModelSpec single = spec(0.01, "sgd");
    inner.put(Bytes.wrap("one".getBytes(StandardCharsets.UTF_8)),
        new ModelSerde(single.stepSettings()).toBytes(new Model(new double[] {1, 2}, true, 3, 4,
            0.5)));
    final RaceSpec running = race(0.01, 0.1);
    assertThatThrownBy(() -> load("one", single, running, OnSettingsChange.REFUSE))
        .hasMessageStartingWith("the stored model 'one' is one model, the running settings "
            + "race [learning-rate=0.01, learning-rate=0.1]");
    assertThat(load("one", single, running, OnSettingsChange.RESET)).isNull();
    // keep: every variant starts from the stored model, each its own, the race afresh
    final ModelStore.Live raced = load("one", single, running, OnSettingsChange.KEEP);
    assertThat(raced.race.model(0).weights()).containsExactly(1.0, 2.0);
    assertThat(raced.race.model(1).weights()).containsExactly(1.0, 2.0);
    assertThat(raced.race.model(1)).isNotSameAs(raced.race.model(0));
    assertThat(raced.race.model(1).count()).isEqualTo(4);
    assertThat(raced.race.race().events()).isZero();

    storeRace("raced", running);
    assertThatThrownBy(() -> load("raced", single, null, OnSettingsChange.REFUSE))
        .hasMessageStartingWith("the stored model 'raced' is a race of [learning-rate=0.01, "
            + "learning-rate=0.1], the running settings train one model");
    assertThat(load("raced", single, null, OnSettingsChange.RESET)).isNull();
    // keep: one model per key goes on from the race's champion (learning-rate=0.1)
    final ModelStore.Live one = load("raced", single, null, OnSettingsChange.KEEP);
    assertThat(one.race).isNull();
    assertThat(one.model.weights()).containsExactly(1.5, 2.5);
    // another shape cannot be kept, whatever was raced
    final ModelSpec wider = new ModelSpec(3, true, Activation.TANH, 0.01, null, 0.0);
    assertThatThrownBy(() -> load("raced", wider, null, OnSettingsChange.KEEP))
        .hasMessageContaining("keep cannot keep weights of another shape");
    final SettingsGuard keep = new SettingsGuard(wider, OnSettingsChange.KEEP, meters);
    assertThat(new RaceGuard(null, keep, OnSettingsChange.KEEP, meters).refusal("raced",
        inner.get(Bytes.wrap("raced".getBytes(StandardCharsets.UTF_8)))))
        .contains("features 2 → 3");
  }

  @Test
  void eachVariantIsJudgedAgainstItsOwnSettings() {
    final RaceSpec stored = race(0.01, 0.1);
    final byte[] bytes = storeRace("k", stored);
    // the same race's names, but its second variant now steps with adam
    final RaceSpec adam = new RaceSpec(stored.names(), List.of(spec(0.01, "sgd"),
        spec(0.1, "adam")), RULE);
    final RaceGuard refuse = new RaceGuard(adam, new SettingsGuard(spec(0.01, "sgd"),
        OnSettingsChange.REFUSE, meters), OnSettingsChange.REFUSE, meters);
    assertThat(refuse.refusal("k", bytes)).contains("'k (variant learning-rate=0.1)'")
        .contains("optimizer sgd → adam");
    assertThatThrownBy(() -> load("k", spec(0.01, "sgd"), adam, OnSettingsChange.REFUSE))
        .hasMessageContaining("optimizer sgd → adam");
    final ModelStore.Live kept = load("k", spec(0.01, "sgd"), adam, OnSettingsChange.KEEP);
    assertThat(kept.race.model(1).weights()).containsExactly(1.5, 2.5);
    assertThat(kept.race.model(1).optimizerState()).hasSize(1 + 2 * 3).containsOnly(0.0);
    assertThat(new RaceGuard(stored, new SettingsGuard(spec(0.01, "sgd"),
        OnSettingsChange.REFUSE, meters), OnSettingsChange.REFUSE, meters).refusal("k", bytes))
        .isNull();
  }

  @Test
  void aRaceWrittenBackReadsAsItWasAndQueriesAnswerWithItsChampion() {
    final RaceSpec running = race(0.01, 0.1, 1);
    storeRace("k", running);
    final ModelStore store = store(spec(0.01, "sgd"), running, OnSettingsChange.REFUSE);
    final ModelStore.Live live = store.load("k".getBytes(StandardCharsets.UTF_8), "k");
    store.trained(live);
    store.flushCache();
    final Model served = store.get("k");
    assertThat(served.weights()).containsExactly(1.5, 2.5);
    assertThat(served.race().variant()).isEqualTo("learning-rate=0.1");
    assertThat(served.race().models().get(0).weights()).containsExactly(0.5, -0.25);
    assertThat(served.race().models().get(2)).isNull();
    assertThat(store.race("k").race().events()).isEqualTo(RULE.warmup());
  }
}
