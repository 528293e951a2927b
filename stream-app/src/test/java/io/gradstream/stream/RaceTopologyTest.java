package io.gradstream.stream;

import static io.gradstream.stream.AvroEvents.event;
import static io.gradstream.stream.AvroEvents.label;
import static io.gradstream.stream.AvroEvents.predict;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.avro.Champion;
import io.gradstream.avro.Drift;
import io.gradstream.avro.Prediction;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Classes;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.learn.race.RaceRule;
import io.gradstream.learn.race.RaceSpec;
import io.gradstream.query.ModelJson;
import io.gradstream.step.EventRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A race on the stream: every variant publishes the very metrics and keeps the very model of a
 * service that runs that variant's settings alone, on the same events; the champion records and
 * the variant named by each prediction follow the race's rule recomputed here from those metrics'
 * losses; and a prediction's y is the champion's own. With no record cache every event reads each
 * race back from its stored bytes.
 */
class RaceTopologyTest {
  private static final List<String> NAMES = List.of("learning-rate=0.05", "learning-rate=2",
      "optimizer=adam");
  private static final RaceRule RULE = new RaceRule(5, 4);

  private static ModelSpec spec(final double eta, final OptimizerKind optimizer) {
    return new ModelSpec(2, true, Activation.SIGMOID, eta, null, 0.0, Loss.LOGISTIC,
        OptimizerSettings.of(optimizer));
  }

  private static final List<ModelSpec> SPECS = List.of(spec(0.05, OptimizerKind.SGD),
      spec(2, OptimizerKind.SGD), spec(0.05, OptimizerKind.named("adam")));

  /** One event: its key and its value. */
  private record Sent(String key, byte[] value) {}

  /**
   * Two keys whose labels flip sides halfway (so the champion changes), predictions with ids and
   * their labels (some never come), and events every variant refuses.
   */
  private static List<Sent> events() {
    final Random random = new Random(7);
    final List<Sent> sent = new ArrayList<>();
    final Map<String, List<String>> open = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      final String key = random.nextBoolean() ? "a" : "b";
      final double x1 = random.nextGaussian();
      final double x2 = random.nextGaussian();
      final double side = i < 200 ? 1 : -1;
      final double d = side * (x1 + (key.equals("a") ? 0.5 : -1) * x2) > 0 ? 1 : 0;
      final int kind = random.nextInt(10);
      final List<String> ids = open.computeIfAbsent(key, k -> new ArrayList<>());
      if (kind == 0) {
        final String id = "p" + i;
        ids.add(id);
        sent.add(new Sent(key, predict(id, i, x1, x2)));
      } else if (kind == 1 && !ids.isEmpty()) {
        sent.add(new Sent(key, label(ids.remove(0), i, d)));
      } else if (kind == 2 && i % 7 == 0) {
        sent.add(new Sent(key, event(d, x1, Double.NaN)));
      } else if (kind == 3) {
        sent.add(new Sent(key, predict(null, i, x1, x2)));
      } else {
        sent.add(new Sent(key, event(d, x1, x2)));
      }
    }
    return sent;
  }

  @ParameterizedTest(name = "record cache {0} bytes")
  @ValueSource(longs = {10_485_760L, 0L})
  void eachVariantIsItsOwnServiceAndTheChampionFollowsTheRule(final long cache) throws Exception {
    // judged, and Page-Hinkley resets a variant whose losses jump (the labels flip halfway)
    final EventRules rules = EventRules.defaults().judging(new EvaluationSpec(16,
        new DriftSettings("page-hinkley", 0.005, 1.0, 0.9999, 30, 30, 3.0, true)));
    final List<EventRules> each = List.of(rules, rules, rules);
    final Map<String, String> streams = Map.of(
        StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(cache));
    final List<Sent> sent = events();

    // each variant alone
    final List<List<TrainingMetric>> alone = new ArrayList<>();
    final List<List<Prediction>> alonePredictions = new ArrayList<>();
    final List<Map<String, String>> aloneModels = new ArrayList<>();
    final List<List<Drift>> aloneDrifts = new ArrayList<>();
    for (int v = 0; v < NAMES.size(); v++) {
      try (TopologyHarness t = new TopologyHarness(SPECS.get(v), rules, InputFormat.AVRO,
          streams)) {
        sent.forEach(s -> t.send(s.key(), s.value()));
        alone.add(t.readMetrics());
        alonePredictions.add(t.readPredictions());
        aloneDrifts.add(drifts(t));
        final Map<String, String> models = new HashMap<>();
        for (final String key : List.of("a", "b")) {
          models.put(key, ModelJson.of(t.model(key)).toString());
        }
        aloneModels.add(models);
      }
    }

    try (TopologyHarness t = new TopologyHarness(new RaceSetup(new RaceSpec(NAMES, SPECS, RULE),
        each), InputFormat.AVRO, streams)) {
      sent.forEach(s -> t.send(s.key(), s.value()));
      final List<TrainingMetric> metrics = t.readMetrics();
      final List<Prediction> predictions = t.readPredictions();
      final List<Champion> champions = t.readChampions();
      final List<Drift> drifts = drifts(t);

      // every variant's metrics are its own service's, naming it
      for (int v = 0; v < NAMES.size(); v++) {
        final String name = NAMES.get(v);
        final List<TrainingMetric> ofVariant = metrics.stream()
            .filter(m -> name.equals(m.getVariant())).toList();
        assertThat(ofVariant).as(name).hasSameSizeAs(alone.get(v)).isNotEmpty();
        for (int i = 0; i < ofVariant.size(); i++) {
          final TrainingMetric raced = TrainingMetric.newBuilder(ofVariant.get(i))
              .setVariant(null).build();
          assertThat(raced).as(name + " metric " + i).isEqualTo(alone.get(v).get(i));
        }
        for (final String key : List.of("a", "b")) {
          assertThat(ModelJson.of(t.race(key).models().get(v).model()).toString())
              .as(name + " model " + key).isEqualTo(aloneModels.get(v).get(key));
        }
      }
      assertThat(metrics).hasSize(alone.stream().mapToInt(List::size).sum());

      // each variant's drifts are its own service's, naming it
      for (int v = 0; v < NAMES.size(); v++) {
        final String name = NAMES.get(v);
        assertThat(drifts.stream().filter(d -> name.equals(d.getVariant()))
            .map(d -> Drift.newBuilder(d).setVariant(null).build()).toList()).as(name)
            .isEqualTo(aloneDrifts.get(v));
      }
      assertThat(drifts).as("drifts to compare").hasSizeGreaterThan(1)
          .hasSize(aloneDrifts.stream().mapToInt(List::size).sum());

      // the rule, recomputed from the losses each variant's metrics carry, event by event
      final double alpha = 1 - Math.pow(2, -1 / RULE.halfLife());
      final Map<String, double[]> m = new LinkedHashMap<>();
      final Map<String, Long> events = new HashMap<>();
      final Map<String, Integer> champion = new HashMap<>();
      final List<String> expectedChanges = new ArrayList<>();
      final List<String> expectedServing = new ArrayList<>();
      final int[] next = new int[NAMES.size()];
      final int[] nextPrediction = new int[NAMES.size()];
      for (int offset = 0; offset < sent.size(); offset++) {
        final Sent s = sent.get(offset);
        // which events trained: each variant's next metric is this event's (its offset)
        boolean trained = false;
        final double[] ms = m.computeIfAbsent(s.key(), k -> new double[] {Double.NaN,
            Double.NaN, Double.NaN});
        final int before = champion.getOrDefault(s.key(), -1);
        final boolean predicted = isPrediction(offset, alonePredictions, nextPrediction);
        if (predicted) {
          expectedServing.add(NAMES.get(Math.max(before, 0)));
        }
        for (int v = 0; v < NAMES.size(); v++) {
          if (next[v] < alone.get(v).size()
              && alone.get(v).get(next[v]).getSourceOffset() == offset) {
            final double loss = alone.get(v).get(next[v]++).getLoss();
            ms[v] = Double.isNaN(ms[v]) ? loss : ms[v] + alpha * (loss - ms[v]);
            trained = true;
          }
        }
        if (!trained) {
          continue;
        }
        final long n = events.merge(s.key(), 1L, Long::sum);
        int best = 0;
        if (n >= RULE.warmup()) {
          for (int v = 1; v < ms.length; v++) {
            if (!Double.isNaN(ms[v]) && (Double.isNaN(ms[best]) || ms[v] < ms[best])) {
              best = v;
            }
          }
        }
        if (best != before) {
          champion.put(s.key(), best);
          expectedChanges.add(s.key() + " " + n + " " + (before < 0 ? null : NAMES.get(before))
              + " → " + NAMES.get(best) + " " + List.of(ms[0], ms[1], ms[2]));
        }
      }
      assertThat(champions.stream().map(c -> c.getModelKey() + " " + c.getRaceEvent() + " "
          + c.getPrevious() + " → " + c.getVariant() + " " + c.getLossEwma()).toList())
          .as("champion changes").isEqualTo(expectedChanges);
      assertThat(expectedChanges.size()).as("the champion changes after the warm-up")
          .isGreaterThan(3);
      assertThat(champions).allSatisfy(c -> assertThat(c.getVariants()).isEqualTo(NAMES));

      // each prediction is the champion's own
      assertThat(predictions.stream().map(Prediction::getVariant).toList())
          .isEqualTo(expectedServing);
      for (final Prediction p : predictions) {
        final int v = NAMES.indexOf(p.getVariant());
        final Prediction own = alonePredictions.get(v).get(indexOf(alonePredictions.get(v), p));
        assertThat(Prediction.newBuilder(p).setVariant(null).build()).isEqualTo(own);
      }
      assertThat(expectedServing).as("some served by another than the first").anyMatch(
          name -> !name.equals(NAMES.get(0)));

      // a query answers with the champion's model and the whole race, as another instance reads
      for (final String key : List.of("a", "b")) {
        final Champion last = champions.stream().filter(c -> c.getModelKey().equals(key))
            .reduce((first, second) -> second).orElseThrow();
        final ObjectNode json = ModelJson.of(t.model(key));
        assertThat(json.path("variant").asText()).isEqualTo(last.getVariant());
        assertThat(json.path("race").path("champion").asText()).isEqualTo(last.getVariant());
        final JsonNode variants = json.path("race").path("variants");
        assertThat(variants.size()).isEqualTo(NAMES.size());
        for (int v = 0; v < NAMES.size(); v++) {
          final ObjectNode variant = (ObjectNode) variants.path(NAMES.get(v)).deepCopy();
          assertThat(variant.remove("lossEwma").asDouble()).isEqualTo(m.get(key)[v]);
          assertThat(variant.toString()).isEqualTo(aloneModels.get(v).get(key));
        }
        final ObjectNode served = json.deepCopy();
        served.remove(List.of("variant", "race"));
        assertThat(served.toString()).isEqualTo(aloneModels.get(NAMES.indexOf(
            last.getVariant())).get(key));
        final Model read = ModelJson.parse(json);
        assertThat(read.race().variant()).isEqualTo(last.getVariant());
        assertThat(read.race().events()).isEqualTo(events.get(key));
        assertThat(read.race().models().get(1).weights())
            .isEqualTo(t.race(key).models().get(1).model().weights());
      }
    }
  }

  /**
   * A race of a model of three classes: each variant's metrics (their probabilities and
   * predicted label) are its own service's, and each prediction is a variant's own, naming it.
   */
  @Test
  void aRaceOfThreeClassesStepsEachVariantAsItsOwnService() throws Exception {
    final List<String> names = List.of("learning-rate=0.05", "learning-rate=0.5");
    final List<ModelSpec> specs = new ArrayList<>();
    for (final double rate : new double[] {0.05, 0.5}) {
      specs.add(new ModelSpec(2, false, Activation.SIGMOID, rate, null, 0.0,
          Loss.crossEntropy(Classes.numbered(3)), OptimizerSettings.sgd()));
    }
    final Random random = new Random(11);
    final List<Sent> sent = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      final double x1 = random.nextGaussian();
      final double x2 = random.nextGaussian();
      final double d = x1 > 0.5 ? 2 : x2 > 0 ? 1 : 0;
      sent.add(new Sent(i % 3 == 0 ? "a" : "b", i % 10 == 9 ? predict(null, i, x1, x2)
          : event(d, x1, x2)));
    }
    final List<List<TrainingMetric>> alone = new ArrayList<>();
    final List<List<Prediction>> alonePredictions = new ArrayList<>();
    for (final ModelSpec spec : specs) {
      try (TopologyHarness t = new TopologyHarness(spec, EventRules.defaults(), InputFormat.AVRO,
          Map.of())) {
        sent.forEach(s -> t.send(s.key(), s.value()));
        alone.add(t.readMetrics());
        alonePredictions.add(t.readPredictions());
      }
    }
    try (TopologyHarness t = new TopologyHarness(new RaceSetup(new RaceSpec(names, specs,
        new RaceRule(10, 5)), List.of(EventRules.defaults(), EventRules.defaults())),
        InputFormat.AVRO, Map.of())) {
      sent.forEach(s -> t.send(s.key(), s.value()));
      final List<TrainingMetric> metrics = t.readMetrics();
      for (int v = 0; v < names.size(); v++) {
        final String name = names.get(v);
        assertThat(metrics.stream().filter(m -> name.equals(m.getVariant()))
            .map(m -> TrainingMetric.newBuilder(m).setVariant(null).build()).toList())
            .as(name).isEqualTo(alone.get(v)).isNotEmpty();
      }
      assertThat(alone.get(0).get(0).getProbabilities()).hasSize(3);
      final List<Prediction> predictions = t.readPredictions();
      assertThat(predictions).hasSize(30);
      for (final Prediction p : predictions) {
        final int v = names.indexOf(p.getVariant());
        assertThat(Prediction.newBuilder(p).setVariant(null).build())
            .isEqualTo(alonePredictions.get(v).get(indexOf(alonePredictions.get(v), p)));
      }
    }
  }

  /** Every drift the harness published, of either version. */
  private static List<Drift> drifts(final TopologyHarness t) throws Exception {
    final List<Drift> out = new ArrayList<>();
    for (final var r : t.drifts.readRecordsToList()) {
      out.add(ReleasedSchemas.drifts().decode(r.value()));
    }
    return out;
  }

  /** Whether the event at {@code offset} made a prediction in every variant's service. */
  private static boolean isPrediction(final int offset, final List<List<Prediction>> alone,
      final int[] next) {
    final List<Prediction> first = alone.get(0);
    if (next[0] < first.size() && first.get(next[0]).getSourceOffset() == offset) {
      for (int v = 0; v < next.length; v++) {
        next[v]++;
      }
      return true;
    }
    return false;
  }

  /** The index of the prediction of {@code p}'s event in {@code alone}. */
  private static int indexOf(final List<Prediction> alone, final Prediction p) {
    for (int i = 0; i < alone.size(); i++) {
      if (alone.get(i).getSourceOffset() == p.getSourceOffset()) {
        return i;
      }
    }
    throw new AssertionError("no prediction of offset " + p.getSourceOffset());
  }
}
