package io.gradstream.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.events.BadRowHandler;
import io.gradstream.events.CsvExpectations;
import io.gradstream.events.EventFields;
import io.gradstream.events.EventFileReader;
import io.gradstream.events.EventRowHandler;
import io.gradstream.events.Outcome;
import io.gradstream.learn.Model;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.race.KeyRace;
import io.gradstream.learn.race.RaceRule;
import io.gradstream.query.ModelJson;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code replay --race}: every row goes to each variant's own {@link Replay} (so each variant's
 * models are replay's with its settings, bit for bit), and after each row a key whose variants
 * trained updates their weighted losses and its champion by the {@link RaceRule}.
 */
public final class RaceReplay {
  private static final BadRowHandler SILENT = (line, reason, detail) -> { };

  /** Where each prediction goes: the champion's, naming it. */
  public interface PredictionSink {
    void prediction(String variant, String key, String id, StepResult step, long modelStep);
  }

  private final List<String> names;
  private final List<Replay> variants;
  private final RaceRule rule;
  private final Map<String, Entry> keys = new LinkedHashMap<>();
  private PredictionSink predictions = (variant, key, id, step, modelStep) -> { };

  /** One key's race, and which variant became champion at which of its events. */
  private static final class Entry {
    KeyRace race;
    final List<long[]> changes = new ArrayList<>();

    Entry(final int variants) {
      race = new KeyRace(variants);
    }
  }

  /** @param names each variant's name, in the order of {@code variants} */
  public RaceReplay(final List<String> names, final List<Replay> variants, final RaceRule rule) {
    if (names.size() != variants.size() || variants.size() < 2) {
      throw new IllegalArgumentException("a race of two variants or more, each named");
    }
    this.names = List.copyOf(names);
    this.variants = List.copyOf(variants);
    this.rule = rule;
  }

  /** Hands each prediction, the key's champion's, to {@code sink}. */
  public RaceReplay predictionsTo(final PredictionSink sink) {
    this.predictions = sink;
    return this;
  }

  /** Every row of {@code file} to every variant; bad rows reported once. */
  public void train(final Reader file, final CsvExpectations expected,
      final BadRowHandler badRows) throws IOException {
    new EventFileReader(file, expected).read(new EventRowHandler() {
      @Override
      public void onEvent(final long line, final String key, final EventFields event) {
        final Model before = variants.get(0).models().get(key);
        boolean trained = false;
        for (int v = 0; v < variants.size(); v++) {
          variants.get(v).read(line, key, event, v == 0 ? badRows : SILENT);
          trained |= variants.get(v).lastOutcome() == Outcome.TRAINED;
        }
        if (trained) {
          race(key);
        } else if (variants.get(0).lastOutcome() == Outcome.CONTROLLED) {
          controlled(key, before);
        }
        // a prediction is served by the key's champion (the first variant before any step)
        final int champion = Math.max(champion(key), 0);
        final Replay served = variants.get(champion);
        if (served.lastOutcome() == Outcome.PREDICTED) {
          final Model model = served.models().get(key);
          predictions.prediction(names.get(champion), key, event.id, served.lastStep(),
              model == null ? 0 : model.count());
        }
      }

      @Override
      public void onBadRow(final long line, final String reason, final String detail) {
        for (int v = 0; v < variants.size(); v++) {
          variants.get(v).badRow(line, reason, detail, v == 0 ? badRows : SILENT);
        }
      }
    });
  }

  /** A training event of {@code key}: each variant that stepped adds its loss. */
  private void race(final String key) {
    final Entry entry = keys.computeIfAbsent(key, k -> new Entry(variants.size()));
    for (int v = 0; v < variants.size(); v++) {
      if (variants.get(v).lastOutcome() == Outcome.TRAINED) {
        entry.race.stepped(v, variants.get(v).lastStep().loss(), rule);
      }
    }
    if (entry.race.decide(rule)) {
      entry.changes.add(new long[] {entry.race.events(), entry.race.champion()});
    }
  }

  /**
   * An operator's control: a reset or set starts the key's race again (its history goes on), a
   * delete ends it; a control that changed no model changes nothing.
   */
  private void controlled(final String key, final Model before) {
    final Model after = variants.get(0).models().get(key);
    final Entry entry = keys.get(key);
    if (after == before || entry == null) {
      return;
    }
    if (after == null) {
      keys.remove(key);
    } else {
      entry.race = new KeyRace(variants.size());
    }
  }

  /** The champion of {@code key} now, by index; -1 for a key that has not trained. */
  public int champion(final String key) {
    final Entry entry = keys.get(key);
    return entry == null ? -1 : entry.race.champion();
  }

  public Replay variant(final int v) {
    return variants.get(v);
  }

  /**
   * {"race": {variants, halfLife, warmup, each variant's invalid rows}, "models": {key:
   * {"champion", "championHistory", "variants": {name: model with its "lossEwma"}}}, "invalid":
   * n}.
   */
  public ObjectNode toJson() {
    final ObjectNode root = ModelJson.MAPPER.createObjectNode();
    final ObjectNode settings = root.putObject("race");
    final ArrayNode list = settings.putArray("variants");
    names.forEach(list::add);
    settings.put("halfLife", rule.halfLife());
    settings.put("warmup", rule.warmup());
    // a variant may refuse rows the others take (a step that would overflow at a large rate)
    final ObjectNode invalid = settings.putObject("invalid");
    for (int v = 0; v < variants.size(); v++) {
      invalid.put(names.get(v), variants.get(v).invalid());
    }
    final ObjectNode byKey = root.putObject("models");
    final Map<String, Model> first = variants.get(0).models();
    final List<String> raced = new ArrayList<>(keys.keySet());
    first.keySet().stream().filter(k -> !keys.containsKey(k)).forEach(raced::add);
    for (final String key : raced) {
      final ObjectNode node = byKey.putObject(key);
      final Entry entry = keys.get(key);
      final KeyRace race = entry == null ? null : entry.race;
      if (race != null) {
        node.put("champion", names.get(race.serving()));
        node.put("events", race.events());
        final ArrayNode history = node.putArray("championHistory");
        for (final long[] change : entry.changes) {
          history.addObject().put("event", change[0]).put("variant", names.get((int) change[1]));
        }
      }
      final ObjectNode each = node.putObject("variants");
      for (int v = 0; v < variants.size(); v++) {
        final Model model = variants.get(v).models().get(key);
        if (model != null) {
          final ObjectNode json = variants.get(v).modelJson(model);
          if (race != null && !Double.isNaN(race.lossEwma(v))) {
            json.put("lossEwma", race.lossEwma(v));
          }
          each.set(names.get(v), json);
        }
      }
    }
    root.put("invalid", variants.get(0).invalid());
    return root;
  }
}
