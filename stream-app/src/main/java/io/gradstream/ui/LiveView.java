package io.gradstream.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.learn.Classes;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.Metrics;
import io.gradstream.learn.evaluate.ModelEvaluation;
import io.gradstream.metrics.ModelMeters;
import io.gradstream.metrics.ModelSeries;
import io.gradstream.query.ModelJson;
import io.gradstream.query.ModelLookup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data behind the live page ({@code /ui/api/...}) as JSON: the {@link LiveSampler}'s series,
 * the models' list and each model now, read through the {@link ModelLookup}, and a two-parameter
 * model's loss surface with its path.
 */
public final class LiveView {
  /** Most points of a path sent to the page. */
  static final int PATH_POINTS = 512;
  /** Largest page of the model list. */
  static final int MAX_PAGE = 200;

  private final LiveSampler sampler;
  private final ModelMeters models;
  private final ModelLookup lookup;
  private final ModelSpec spec;
  /** The race's variants, in its order; empty without a race. */
  private final List<String> variants;
  /** Tracked models' loss surfaces, computed at most once per sample whatever the pages open. */
  private final Map<String, LossSurface.Grid> surfaces = new ConcurrentHashMap<>();
  private volatile long surfacesAt = -1;

  public LiveView(final LiveSampler sampler, final ModelMeters models, final ModelLookup lookup,
      final ModelSpec spec) {
    this(sampler, models, lookup, spec, List.of());
  }

  /** @param variants a race's variants, in its order; empty without a race */
  public LiveView(final LiveSampler sampler, final ModelMeters models, final ModelLookup lookup,
      final ModelSpec spec, final List<String> variants) {
    this.sampler = sampler;
    this.models = models;
    this.lookup = lookup;
    this.spec = spec;
    this.variants = List.copyOf(variants);
  }

  /**
   * {@code GET /ui/api/overview?since=T}: the service's series and each tracked model's loss, the
   * samples after T (epoch seconds) only, so that an open page fetches each sample once.
   */
  public String overview(final double since) {
    final ObjectNode root = ModelJson.MAPPER.createObjectNode();
    final double[][] columns = sampler.overall().columns(since);
    final List<String> reasons = sampler.reasons();
    root.set("time", times(column(columns, 0)));
    root.set("eventsPerSecond", array(column(columns, 1)));
    root.set("meanLoss", array(column(columns, 2)));
    root.set("servedLoss", array(column(columns, 3)));
    final ObjectNode dead = root.putObject("deadLettersPerSecond");
    for (int r = 0; r < reasons.size(); r++) {
      dead.set(reasons.get(r), array(column(columns, 4 + r)));
    }
    final ObjectNode tracked = root.putObject("models");
    sampler.histories().forEach((key, history) -> {
      final double[][] c = history.columns(since);
      if (c.length > 0) {
        final ObjectNode m = tracked.putObject(key);
        m.set("time", times(c[0]));
        m.set("lossEwma", array(c[1]));
      }
    });
    root.put("modelCount", sampler.modelCount());
    return root.toString();
  }

  /**
   * {@code GET /ui/api/models?search=&page=&size=}: the keys that contain {@code search} (ignoring
   * case), sorted, one page of them with each model's steps, mean loss and parameters.
   */
  public String models(final String search, final int page, final int size)
      throws ModelLookup.UnavailableException {
    final String needle = search == null ? "" : search.toLowerCase(Locale.ROOT);
    final LiveSampler.KeyList all = sampler.keys();
    final List<String> matching = needle.isEmpty() ? all.keys() : new ArrayList<>();
    for (int i = 0; !needle.isEmpty() && i < all.keys().size(); i++) {
      if (all.lowerCase().get(i).contains(needle)) {
        matching.add(all.keys().get(i));
      }
    }
    final int pageSize = Math.max(1, Math.min(MAX_PAGE, size));
    final int from = Math.max(0, page) * pageSize;
    final ObjectNode root = ModelJson.MAPPER.createObjectNode();
    root.put("total", matching.size());
    root.put("page", Math.max(0, page));
    root.put("size", pageSize);
    if (all.problem() != null) {
      root.put("problem", all.problem());
    }
    final ArrayNode list = root.putArray("models");
    for (int i = from; i < Math.min(matching.size(), from + pageSize); i++) {
      final String key = matching.get(i);
      final Optional<Model> model = lookup.find(key, false);
      final ObjectNode row = list.addObject();
      row.put("key", key);
      model.ifPresent(m -> summary(row, m));
      final ModelSeries series = models.tracked().get(key);
      if (series != null) {
        number(row, "lossEwma", series.lossEwma());
      }
    }
    return root.toString();
  }

  /** What the page shows of a judged model: a classifier's accuracy, a regression's R². */
  static String mainMetric(final EvaluationKind kind) {
    return kind == EvaluationKind.REGRESSION ? "r2" : "accuracy";
  }

  private static void summary(final ObjectNode row, final Model m) {
    row.put("steps", m.count());
    number(row, "meanLoss", m.count() == 0 ? Double.NaN : m.lossSum() / m.count());
    final ModelEvaluation evaluation = m.evaluation();
    if (evaluation != null) {
      // over the window when there is one (and its segments were read), else over all samples
      final Metrics window = evaluation.window();
      final String metric = mainMetric(evaluation.kind());
      row.put("metric", metric);
      row.put("metricScope", window != null ? "window" : "total");
      number(row, "metricValue", (window != null ? window : evaluation.total()).value(metric));
      if (evaluation.kind() == EvaluationKind.MULTICLASS) {
        number(row, "logLoss", (window != null ? window : evaluation.total()).logLoss());
      }
      row.put("drifts", evaluation.driftCount());
      row.put("generation", evaluation.generation());
    }
    if (m.layers() != null) {
      final ArrayNode units = row.putArray("layers");
      for (final int size : m.layers().sizes()) {
        units.add(size);
      }
      return;
    }
    final double[] w = m.weights();
    row.set("w", array(Arrays.copyOf(w, Math.min(w.length, ModelMeters.MAX_WEIGHTS))));
    row.put("features", w.length);
    if (m.hasBias()) {
      number(row, "b", m.bias());
    }
  }

  /**
   * {@code GET /ui/api/models/{key}?since=T}: the model now; for a tracked model its series (loss,
   * steps, weights and bias over time, the samples after T), and for a two-parameter one the loss
   * surface of its recent events with the path its parameters took. Null when the model is
   * unknown.
   */
  public String model(final String key, final double since)
      throws ModelLookup.UnavailableException {
    final ModelSeries series = models.tracked().get(key);
    final Optional<Model> model = lookup.find(key, false);
    if (model.isEmpty() && series == null) {
      return null;
    }
    final ObjectNode root = ModelJson.MAPPER.createObjectNode();
    root.put("key", key);
    model.ifPresent(m -> summary(root.putObject("now"), m));
    root.put("tracked", series != null);
    final History history = sampler.history(key);
    if (history != null) {
      final double[][] c = history.columns(since);
      if (c.length > 0) {
        root.set("time", times(c[0]));
        root.set("lossEwma", array(c[1]));
        root.set("steps", array(c[2]));
        if (series.hasBias()) {
          root.set("b", array(c[3]));
        }
        final ArrayNode perColumn = root.putArray(series.layers() != null
            ? "layerGradientNorm" : "w");
        for (int i = 4; i < c.length; i++) {
          perColumn.add(array(c[i]));
        }
      }
    }
    final History evaluation = sampler.evaluation(key);
    if (evaluation != null) {
      putEvaluation(root, evaluation, since);
    }
    final History race = sampler.race(key);
    if (race != null) {
      putRace(root, race, since);
    }
    if (series != null && series.twoParameters()) {
      final ModelSeries.Recent recent = series.recent();
      if (recent.path().length > 0) {
        // the same for every page until the next sample; bounded by the tracked models
        final long at = sampler.samples();
        if (at != surfacesAt) {
          surfaces.clear();
          surfacesAt = at;
        }
        final LossSurface.Grid grid = surfaces.computeIfAbsent(key, k -> LossSurface.of(
            bounds(recent), recent.events(), series.hasBias(), spec.activation(), spec.loss()));
        final ObjectNode surface = root.putObject("surface");
        surface.put("p1", "w1");
        surface.put("p2", series.hasBias() ? "b" : "w2");
        surface.set("x", array(grid.p1()));
        surface.set("y", array(grid.p2()));
        final ArrayNode rows = surface.putArray("loss");
        for (final double[] row : grid.loss()) {
          rows.add(array(row));
        }
        surface.put("events", grid.events());
        // every step while there are few, then every k-th (and always the latest): a line of
        // at most PATH_POINTS points looks the same and costs a fraction to send each second
        final double[][] steps = recent.path();
        final int every = (steps.length + PATH_POINTS - 1) / PATH_POINTS;
        surface.set("path", points(steps, every));
        if (recent.variantPaths().length > 0) {
          // a race: each variant's path, row for row with the champion's
          final ObjectNode paths = surface.putObject("paths");
          for (int v = 0; v < recent.variantPaths().length && v < variants.size(); v++) {
            paths.set(variants.get(v), points(recent.variantPaths()[v], every));
          }
        }
      }
    }
    if (series != null && spec.classes() != null) {
      putRecentClasses(root, spec.classes(), series.recentClasses());
    }
    return root.toString();
  }

  /** Every {@code every}-th point of {@code path}, always its latest. */
  private static ArrayNode points(final double[][] path, final int every) {
    final ArrayNode points = ModelJson.MAPPER.createArrayNode();
    for (int i = (path.length - 1) % every; i < path.length; i += every) {
      points.add(array(path[i]));
    }
    return points;
  }

  /** The points a loss surface must show: the path, and in a race every variant's too. */
  private static double[][] bounds(final ModelSeries.Recent recent) {
    final List<double[]> all = new ArrayList<>(Arrays.asList(recent.path()));
    for (final double[][] variant : recent.variantPaths()) {
      for (final double[] point : variant) {
        if (Double.isFinite(point[0]) && Double.isFinite(point[1])) {
          all.add(point);
        }
      }
    }
    return all.toArray(double[][]::new);
  }

  /**
   * A raced model: {@code "race"} with its {@code "variants"}, the {@code "champion"} now, and over
   * time (after {@code since}) each variant's weighted loss and the champion's index.
   */
  private void putRace(final ObjectNode root, final History race, final double since) {
    final ObjectNode node = root.putObject("race");
    final ArrayNode names = node.putArray("variants");
    variants.forEach(names::add);
    final double[] latest = race.latest();
    if (latest != null) {
      final int now = (int) latest[1];
      if (now >= 0 && now < variants.size()) {
        node.put("champion", variants.get(now));
      }
    }
    final double[][] c = race.columns(since);
    if (c.length > 0) {
      node.set("time", times(c[0]));
      node.set("championIndex", array(c[1]));
      final ArrayNode losses = node.putArray("lossEwma");
      for (int v = 2; v < c.length; v++) {
        losses.add(array(c[v]));
      }
    }
  }

  /**
   * A model of K classes: {@code "classes"} (their names) and {@code "recentClasses"}, its last
   * steps oldest first, each the label {@code d}, the class it {@code predicted} before the step
   * and the probabilities {@code p} it gave the classes.
   */
  private static void putRecentClasses(final ObjectNode root, final Classes classes,
      final double[][] recent) {
    final ArrayNode names = root.putArray("classes");
    for (int k = 0; k < classes.count(); k++) {
      names.add(classes.name(k));
    }
    final ArrayNode rows = root.putArray("recentClasses");
    for (final double[] step : recent) {
      final ObjectNode row = rows.addObject();
      row.put("d", (int) step[0]);
      row.put("predicted", (int) step[1]);
      row.set("p", array(Arrays.copyOfRange(step, 2, step.length)));
    }
  }

  /**
   * A tracked model's main metric over time (after {@code since}), prequential and served, and
   * the times of its drifts: the samples at which its count of drifts went up, over all the
   * samples held, so that a page opened late marks them too.
   */
  private static void putEvaluation(final ObjectNode root, final History evaluation,
      final double since) {
    final ObjectNode node = root.putObject("evaluation");
    final double[][] c = evaluation.columns(since);
    if (c.length > 0) {
      node.set("time", times(c[0]));
      node.set("prequential", array(c[1]));
      node.set("served", array(c[2]));
    }
    final ArrayNode drifts = node.putArray("driftTimes");
    final double[][] all = evaluation.columns(Double.NEGATIVE_INFINITY);
    for (int i = 1; all.length > 0 && i < all[0].length; i++) {
      if (all[3][i] > all[3][i - 1]) {
        drifts.add(Math.round(all[0][i] * 1000) / 1000.0);
      }
    }
  }

  private static double[] column(final double[][] columns, final int c) {
    return c < columns.length ? columns[c] : new double[0];
  }

  /**
   * Values as JSON to float precision, seven digits, which is what a chart shows, and half the
   * bytes; null for what is not finite (JSON has no NaN).
   */
  private static ArrayNode array(final double[] values) {
    final ArrayNode node = ModelJson.MAPPER.createArrayNode();
    for (final double v : values) {
      if (Double.isFinite(v)) {
        node.add((float) v);
      } else {
        node.addNull();
      }
    }
    return node;
  }

  /** Sample times, epoch seconds to the millisecond. */
  private static ArrayNode times(final double[] seconds) {
    final ArrayNode node = ModelJson.MAPPER.createArrayNode();
    for (final double t : seconds) {
      node.add(Math.round(t * 1000) / 1000.0);
    }
    return node;
  }

  private static void number(final ObjectNode node, final String name, final double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }
}
