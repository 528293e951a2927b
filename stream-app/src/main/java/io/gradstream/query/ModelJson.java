package io.gradstream.query;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.learn.Classes;
import io.gradstream.learn.Layers;
import io.gradstream.learn.Model;
import io.gradstream.learn.SparseColumns;
import io.gradstream.learn.SparseWeights;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.evaluate.Metrics;
import io.gradstream.learn.evaluate.ModelEvaluation;
import io.gradstream.learn.features.FeatureHasher;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.features.StandardScaler;
import io.gradstream.learn.features.Welford;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.race.RaceStanding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A model as the replay output writes it: {@code {"w": [..], "b": <number|null>, "count": n,
 * "lossSum": s}} for one neuron, {@code {"layers": [{"w": [[..], ..], "b": [..]}, ..], "count": n,
 * "lossSum": s}} for a network (layers from the input side, w units × inputs); a model that
 * scales its inputs adds {@code "scale"}. A multi-class model without hidden layers has {@code
 * "w"} K rows of n and {@code "b"} K, and with them {@code "layers"}; either adds {@code
 * "classes"}, the class names (or indexes) in order. {@code GET
 * /models/{key}} answers with the same object. Doubles are written in their shortest round-trip
 * form, so the JSON carries the exact weights.
 */
public final class ModelJson {
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build();

  private ModelJson() {}

  /**
   * The model a JSON object of {@link #of} describes: one neuron ({@code w}, {@code b}) or a
   * network ({@code layers}).
   *
   * @throws IllegalArgumentException when it is neither, or a network's layers do not fit
   */
  public static Model parse(final JsonNode node) {
    final Model model = parseAlone(node);
    final JsonNode race = node.get("race");
    return race == null || !race.isObject() ? model : parseRace(race, model);
  }

  /**
   * The race a raced key's node shows (another instance's answer): every variant's model, with
   * {@code served}, the node's own, as the champion's.
   */
  private static Model parseRace(final JsonNode race, final Model served) {
    final List<String> names = new ArrayList<>();
    final List<Model> models = new ArrayList<>();
    final JsonNode variants = race.path("variants");
    final double[] losses = new double[variants.size()];
    int serving = -1;
    for (final Map.Entry<String, JsonNode> e : variants.properties()) {
      final boolean champion = e.getKey().equals(race.path("champion").asText());
      serving = champion ? names.size() : serving;
      losses[names.size()] = e.getValue().path("lossEwma").asDouble(Double.NaN);
      names.add(e.getKey());
      models.add(champion ? served : e.getValue().has("count") ? parseAlone(e.getValue())
          : null);
    }
    if (serving < 0) {
      throw new IllegalArgumentException("a race whose champion is none of its variants");
    }
    return served.inRace(new RaceStanding(names, serving, race.path("events").asLong(), losses,
        models));
  }

  private static Model parseAlone(final JsonNode node) {
    final Model model = parseModel(node);
    final StandardScaler scaler = parseScale(node.get("scale"));
    if (scaler != null && scaler.byName() != (model.sparse() != null)) {
      throw new IllegalArgumentException("\"scale\" is by feature name for a hashed model, by "
          + "coordinate for x");
    }
    if (scaler != null && !scaler.byName() && scaler.size() != model.features()) {
      throw new IllegalArgumentException("\"scale\" has " + scaler.size() + " coordinates, "
          + "the model has " + model.features() + " features");
    }
    return scaler == null ? model : model.withScaler(scaler);
  }

  private static Model parseModel(final JsonNode node) {
    final long count = node.path("count").asLong(0);
    final double lossSum = node.path("lossSum").asDouble(0.0);
    final JsonNode layers = node.get("layers");
    if (layers != null && node.has("hashBits")) {
      throw new IllegalArgumentException("a network over hashed inputs is not read from JSON "
          + "yet: its untouched columns follow from the settings it was stored under");
    }
    if (layers != null) {
      return parseNetwork(layers, count, lossSum);
    }
    final JsonNode bits = node.get("hashBits");
    if (bits != null) {
      return parseHashed(node, bits, count, lossSum);
    }
    final JsonNode w = node.get("w");
    if (w == null || !w.isArray()) {
      throw new IllegalArgumentException(
          "a model has \"w\" (one neuron) or \"layers\" (a network)");
    }
    if (!w.isEmpty() && w.get(0).isArray()) {
      // a row per class: one layer of a multi-class model
      return parseNetwork(MAPPER.createArrayNode().add(node), count, lossSum);
    }
    final double[] weights = numbers(w, "w");
    final JsonNode b = node.get("b");
    final boolean hasBias = b != null && !b.isNull();
    return new Model(weights, hasBias, hasBias ? number(b, "b") : 0.0, count, lossSum);
  }

  /**
   * A hashed model: {@code "hashBits"}, and {@code "w"} an object from coordinate (a decimal
   * string) to weight. Without optimizer state: the model takes its optimizer's fresh state
   * wherever it goes.
   */
  private static Model parseHashed(final JsonNode node, final JsonNode bits, final long count,
      final double lossSum) {
    if (!bits.canConvertToInt() || bits.intValue() < 1
        || bits.intValue() > FeatureHasher.MAX_BITS) {
      throw new IllegalArgumentException("\"hashBits\" must be a whole number in 1.."
          + FeatureHasher.MAX_BITS + ", got " + bits);
    }
    final JsonNode w = node.path("w");
    if (!w.isObject()) {
      throw new IllegalArgumentException("a hashed model's \"w\" is an object from coordinate "
          + "to weight");
    }
    final SparseWeights weights = new SparseWeights(0);
    final int dimension = 1 << bits.intValue();
    for (final Map.Entry<String, JsonNode> e : w.properties()) {
      final int coordinate = coordinate(e.getKey(), dimension, "w");
      weights.put(coordinate, number(e.getValue(), "w[" + coordinate + "]"));
    }
    final JsonNode b = node.get("b");
    final boolean hasBias = b != null && !b.isNull();
    return Model.hashed(bits.intValue(), weights, hasBias, hasBias ? number(b, "b") : 0.0,
        count, lossSum, new double[0]);
  }

  /** A coordinate of 2^B as {@code field} names it: a decimal string in 0..dimension − 1. */
  private static int coordinate(final String text, final int dimension, final String field) {
    final int coordinate;
    try {
      coordinate = Integer.parseInt(text);
    } catch (final NumberFormatException bad) {
      throw new IllegalArgumentException("\"" + field + "\" has the coordinate \"" + text
          + "\", not a whole number");
    }
    if (coordinate < 0 || coordinate >= dimension) {
      throw new IllegalArgumentException("\"" + field + "\" has the coordinate " + coordinate
          + ", outside 0.." + (dimension - 1));
    }
    return coordinate;
  }

  /** Layer after layer from the input: each {"w": units × inputs, "b": units}. */
  private static Model parseNetwork(final JsonNode layers, final long count,
      final double lossSum) {
    if (!layers.isArray() || layers.isEmpty()) {
      throw new IllegalArgumentException("\"layers\" must be a list of {\"w\": .., \"b\": ..}");
    }
    final int[] sizes = new int[layers.size() + 1];
    final double[][] parts = new double[layers.size()][];
    for (int l = 0; l < layers.size(); l++) {
      final JsonNode rows = layers.get(l).path("w");
      final double[] b = numbers(layers.get(l).path("b"), "layer " + (l + 1) + " b");
      if (!rows.isArray() || rows.size() != b.length || b.length == 0) {
        throw new IllegalArgumentException("layer " + (l + 1) + " needs one row of w per bias");
      }
      final int inputs = rows.get(0).size();
      if (l > 0 && inputs != sizes[l]) {
        throw new IllegalArgumentException("layer " + (l + 1) + " takes " + inputs
            + " inputs, the layer below has " + sizes[l] + " units");
      }
      sizes[l] = inputs;
      sizes[l + 1] = b.length;
      final double[] part = new double[b.length * (inputs + 1)];
      for (int j = 0; j < b.length; j++) {
        final double[] row = numbers(rows.get(j), "layer " + (l + 1) + " w row " + (j + 1));
        if (row.length != inputs) {
          throw new IllegalArgumentException("layer " + (l + 1) + " has rows of different "
              + "lengths");
        }
        System.arraycopy(row, 0, part, j * inputs, inputs);
      }
      System.arraycopy(b, 0, part, b.length * inputs, b.length);
      parts[l] = part;
    }
    final Layers shape = new Layers(sizes);
    final double[] parameters = new double[shape.parameters()];
    for (int l = 0; l < parts.length; l++) {
      System.arraycopy(parts[l], 0, parameters, shape.weightsAt(l + 1), parts[l].length);
    }
    return Model.network(shape, parameters, count, lossSum, new double[0]);
  }

  private static double[] numbers(final JsonNode array, final String what) {
    if (!array.isArray()) {
      throw new IllegalArgumentException(what + " must be a list of numbers");
    }
    final double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = number(array.get(i), what);
    }
    return values;
  }

  private static double number(final JsonNode value, final String what) {
    if (!value.isNumber()) {
      throw new IllegalArgumentException(what + " holds " + value + ", not a number");
    }
    return value.doubleValue();
  }

  /** A model as {@code gradstream export} writes it: its key, settings and optimizer state too. */
  public record Exported(String key, Model model, SortedMap<String, String> settings) {}

  /**
   * One line of {@code gradstream export}: the model as {@link #of} writes it, with its key, its
   * optimizer state and the settings it was stored under, so that an import continues exactly.
   */
  public static ObjectNode exported(final String key, final Model model,
      final SortedMap<String, String> settings) {
    final ObjectNode node = MAPPER.createObjectNode();
    node.put("key", key);
    node.setAll(of(model));
    final ArrayNode state = node.putArray("optimizerState");
    for (final double s : model.optimizerState()) {
      state.add(s);
    }
    final SparseWeights sparse = model.sparse();
    if (sparse != null && sparse.stateSlots() > 0) {
      // every touched coordinate's state, weight 0 or not (FTRL's weights follow from it)
      final ObjectNode byCoordinate = node.putObject("coordinateState");
      for (final int slot : sparse.slotsByCoordinate()) {
        final ArrayNode slots = byCoordinate.putArray(Integer.toString(sparse.coordinate(slot)));
        for (int k = 0; k < sparse.stateSlots(); k++) {
          slots.add(sparse.state(slot, k));
        }
      }
    }
    if (model.evaluation() != null) {
      EvaluationJson.putState(node, model.evaluation());
    }
    final ObjectNode stored = node.putObject("settings");
    settings.forEach(stored::put);
    return node;
  }

  /**
   * What {@link #exported} wrote (the key may be absent: then null); without optimizer state or
   * settings, the model starts with a fresh optimizer state wherever it goes.
   */
  public static Exported parseExported(final JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected a model object, as gradstream export writes");
    }
    Model model = parse(node);
    final SortedMap<String, String> settings = new TreeMap<>();
    final JsonNode stored = node.get("settings");
    if (stored != null && stored.isObject()) {
      stored.properties().forEach(e -> settings.put(e.getKey(), e.getValue().asText()));
    }
    final JsonNode state = node.get("optimizerState");
    if (model.sparse() != null) {
      model = withHashedState(model, state, node.get("coordinateState"), settings);
    } else if (state != null && !state.isNull()) {
      model = model.withOptimizerState(numbers(state, "optimizerState"));
    }
    if (model.scaler() == null && FeatureScaling.STANDARD.id().equals(settings.get("scale"))) {
      // exported without its moments: it scales from nothing seen, as its settings say it does
      model = model.withScaler(model.sparse() != null ? StandardScaler.named()
          : StandardScaler.dense(model.features()));
    }
    model.judgedBy(EvaluationJson.parseState(node.get("evaluationState"), settings));
    final JsonNode key = node.get("key");
    return new Exported(key == null || key.isNull() ? null : key.asText(), model, settings);
  }

  /**
   * A hashed model with the state its settings' optimizer keeps, so that what is stored is whole:
   * the step count and the bias's slots ({@code optimizerState}) and each coordinate's slots
   * ({@code coordinateState}) as exported, or zeros (a fresh state) when they are absent.
   */
  private static Model withHashedState(final Model model, final JsonNode head,
      final JsonNode byCoordinate, final SortedMap<String, String> settings) {
    final int slots = OptimizerKind.named(settings.getOrDefault("optimizer", "sgd")).slots();
    final int headSize = slots == 0 ? 0 : 1 + (model.hasBias() ? slots : 0);
    final double[] headState = head == null || head.isNull() || head.size() == 0
        ? new double[headSize] : numbers(head, "optimizerState");
    if (headState.length != headSize) {
      throw new IllegalArgumentException("\"optimizerState\" of a hashed model under "
          + settings.getOrDefault("optimizer", "sgd") + " has " + headSize + " values (the step "
          + "count and the bias's state), got " + headState.length);
    }
    final SparseWeights weights = model.sparse();
    final int[] coordinates = new int[weights.size()];
    final double[] values = new double[weights.size()];
    final double[] states = new double[weights.size() * slots];
    final Map<Integer, Integer> at = new HashMap<>();
    for (int s = 0; s < weights.size(); s++) {
      coordinates[s] = weights.coordinate(s);
      values[s] = weights.weight(s);
      at.put(coordinates[s], s);
    }
    if (byCoordinate == null || byCoordinate.isNull()) {
      return Model.hashed(model.hashBits(), SparseWeights.of(slots, coordinates, values, states),
          model.hasBias(), model.bias(), model.count(), model.lossSum(), headState)
          .withScaler(model.scaler());
    }
    final int dimension = 1 << model.hashBits();
    final List<Integer> more = new ArrayList<>();
    final List<double[]> moreStates = new ArrayList<>();
    for (final Map.Entry<String, JsonNode> e : byCoordinate.properties()) {
      final int c = coordinate(e.getKey(), dimension, "coordinateState");
      final double[] one = numbers(e.getValue(), "coordinateState[" + c + "]");
      if (one.length != slots) {
        throw new IllegalArgumentException("\"coordinateState\" holds " + slots + " values a "
            + "coordinate under " + settings.getOrDefault("optimizer", "sgd") + ", got "
            + one.length + " at " + c);
      }
      final Integer s = at.get(c);
      if (s != null) {
        System.arraycopy(one, 0, states, s * slots, slots);
      } else {
        more.add(c);
        moreStates.add(one);
      }
    }
    // coordinates with state and a weight of 0 (not in "w")
    final int n = coordinates.length + more.size();
    final int[] allCoordinates = Arrays.copyOf(coordinates, n);
    final double[] allValues = Arrays.copyOf(values, n);
    final double[] allStates = Arrays.copyOf(states, n * slots);
    for (int i = 0; i < more.size(); i++) {
      allCoordinates[coordinates.length + i] = more.get(i);
      System.arraycopy(moreStates.get(i), 0, allStates, (coordinates.length + i) * slots, slots);
    }
    return Model.hashed(model.hashBits(), SparseWeights.of(slots, allCoordinates, allValues,
        allStates), model.hasBias(), model.bias(), model.count(), model.lossSum(), headState)
        .withScaler(model.scaler());
  }

  public static ObjectNode of(final Model model) {
    return of(model, null);
  }

  /**
   * A prediction of a model of K classes: {@code "probabilities"} in class order and {@code
   * "label"}, the class of the largest (its name, or its index when the classes have none).
   */
  public static void putClassOutput(final ObjectNode node, final Classes classes,
      final StepResult step) {
    node.set("probabilities", probabilities(step));
    node.set("label", label(classes, step.label()));
  }

  /** A K-class step's probabilities, in class order. */
  public static ArrayNode probabilities(final StepResult step) {
    final ArrayNode probabilities = MAPPER.createArrayNode();
    for (final double p : step.probabilities()) {
      probabilities.add(p);
    }
    return probabilities;
  }

  /** Class {@code k} as a label: its name, or its index when the classes have no names. */
  public static JsonNode label(final Classes classes, final int k) {
    return classes.hasNames() ? MAPPER.getNodeFactory().textNode(classes.name(k))
        : MAPPER.getNodeFactory().numberNode(k);
  }

  /**
   * {@link #of(Model)}, with {@code "classes"} for a model of {@code classes} (null: none), and
   * for a raced key's model its race.
   */
  public static ObjectNode of(final Model model, final Classes classes) {
    final ObjectNode node = alone(model, classes);
    if (model.race() != null) {
      putRace(node, model.race(), classes);
    }
    return node;
  }

  /** A model with its classes and evaluation, without the race it may serve. */
  private static ObjectNode alone(final Model model, final Classes classes) {
    final ObjectNode node = parameters(model);
    if (classes != null) {
      final ArrayNode names = node.putArray("classes");
      for (int k = 0; k < classes.count(); k++) {
        names.add(label(classes, k));
      }
    }
    final ModelEvaluation evaluation = model.evaluation();
    if (evaluation != null) {
      node.set("evaluation", evaluation(evaluation));
      node.put("generation", evaluation.generation());
      final ArrayNode drifts = node.putArray("drifts");
      for (final long step : evaluation.drifts()) {
        drifts.add(step);
      }
      node.put("driftCount", evaluation.driftCount());
    }
    return node;
  }

  /**
   * A raced key: {@code "variant"}, the one whose model the node shows (the champion), and {@code
   * "race"}: the key's training events and every variant's model with its {@code "lossEwma"}.
   */
  private static void putRace(final ObjectNode node, final RaceStanding race,
      final Classes classes) {
    node.put("variant", race.variant());
    final ObjectNode json = node.putObject("race");
    json.put("champion", race.variant());
    json.put("events", race.events());
    final ObjectNode variants = json.putObject("variants");
    for (int v = 0; v < race.names().size(); v++) {
      final Model model = race.models().get(v);
      final ObjectNode variant = model == null ? MAPPER.createObjectNode()
          : alone(model, classes);
      if (!Double.isNaN(race.lossEwma()[v])) {
        variant.put("lossEwma", race.lossEwma()[v]);
      }
      variants.set(race.names().get(v), variant);
    }
  }

  /**
   * A judged model's {@code "evaluation"}: its prequential metrics over every sample ({@code
   * "total"}) and over the window ({@code "window"}, absent without one), and under {@code
   * "served"} the same of its served predictions.
   */
  public static ObjectNode evaluation(final ModelEvaluation evaluation) {
    final ObjectNode node = MAPPER.createObjectNode();
    putMetrics(node, evaluation.total(), evaluation.window());
    putMetrics(node.putObject("served"), evaluation.servedTotal(), evaluation.servedWindow());
    return node;
  }

  private static void putMetrics(final ObjectNode node, final Metrics total,
      final Metrics window) {
    node.set("total", metrics(total, false));
    if (window != null) {
      node.set("window", metrics(window, true));
    }
  }

  /** {@code "count"} and each metric of its kind; an undefined one is null. */
  public static ObjectNode metrics(final Metrics metrics, final boolean window) {
    final ObjectNode node = MAPPER.createObjectNode();
    node.put("count", metrics.count());
    for (final String name : Metrics.names(metrics.kind(), window)) {
      final double value = metrics.value(name);
      if (Double.isNaN(value)) {
        node.putNull(name);
      } else {
        node.put(name, value);
      }
    }
    return node;
  }

  private static ObjectNode parameters(final Model model) {
    if (model.columns() != null) {
      return hashedNetwork(model);
    }
    final ObjectNode node = MAPPER.createObjectNode();
    final Layers layers = model.layers();
    if (layers != null) {
      // one layer of K classes is written as one neuron is, its w and b with a row per class
      final boolean oneLayer = layers.count() == 1;
      final ArrayNode list = oneLayer ? null : node.putArray("layers");
      final double[] p = model.weights();
      for (int l = 1; l <= layers.count(); l++) {
        final ObjectNode layer = oneLayer ? node : list.addObject();
        final ArrayNode w = layer.putArray("w");
        final int in = layers.units(l - 1);
        for (int j = 0; j < layers.units(l); j++) {
          final ArrayNode row = w.addArray();
          for (int i = 0; i < in; i++) {
            row.add(p[layers.weightsAt(l) + j * in + i]);
          }
        }
        final ArrayNode b = layer.putArray("b");
        for (int j = 0; j < layers.units(l); j++) {
          b.add(p[layers.biasesAt(l) + j]);
        }
      }
      node.put("count", model.count());
      node.put("lossSum", model.lossSum());
      putScale(node, model.scaler());
      return node;
    }
    if (model.sparse() != null) {
      node.put("hashBits", model.hashBits());
      final ObjectNode w = node.putObject("w");
      final SparseWeights sparse = model.sparse();
      final int[] slots = sparse.slotsByCoordinate();
      for (final int slot : slots) {
        if (sparse.weight(slot) != 0.0) {
          w.put(Integer.toString(sparse.coordinate(slot)), sparse.weight(slot));
        }
      }
    } else {
      final ArrayNode w = node.putArray("w");
      for (final double wi : model.weights()) {
        w.add(wi);
      }
    }
    if (model.hasBias()) {
      node.put("b", model.bias());
    } else {
      node.putNull("b");
    }
    node.put("count", model.count());
    node.put("lossSum", model.lossSum());
    putScale(node, model.scaler());
    return node;
  }

  /**
   * A network over hashed inputs: {@code "hashBits"}, and {@code "layers"} whose first layer's
   * {@code "w"} is an object from coordinate to its column (its weight into each first-layer
   * unit) for the coordinates the model has touched; an untouched coordinate's column is the
   * starting network's (the Glorot rule of --init-seed).
   */
  private static ObjectNode hashedNetwork(final Model model) {
    final ObjectNode node = MAPPER.createObjectNode();
    node.put("hashBits", model.hashBits());
    final Layers layers = model.layers();
    final SparseColumns columns = model.columns();
    final double[] p = model.weights();
    final ArrayNode list = node.putArray("layers");
    final ObjectNode first = list.addObject();
    final ObjectNode w = first.putObject("w");
    for (final int slot : columns.slotsByCoordinate()) {
      final ArrayNode column = w.putArray(Integer.toString(columns.coordinate(slot)));
      for (int j = 0; j < columns.width(); j++) {
        column.add(columns.value(slot, j));
      }
    }
    final ArrayNode b1 = first.putArray("b");
    for (int j = 0; j < columns.width(); j++) {
      b1.add(p[j]);
    }
    int at = columns.width();
    for (int l = 2; l <= layers.count(); l++) {
      final ObjectNode layer = list.addObject();
      final ArrayNode rows = layer.putArray("w");
      final int in = layers.units(l - 1);
      for (int j = 0; j < layers.units(l); j++) {
        final ArrayNode row = rows.addArray();
        for (int i = 0; i < in; i++) {
          row.add(p[at++]);
        }
      }
      final ArrayNode b = layer.putArray("b");
      for (int j = 0; j < layers.units(l); j++) {
        b.add(p[at++]);
      }
    }
    node.put("count", model.count());
    node.put("lossSum", model.lossSum());
    putScale(node, model.scaler());
    return node;
  }

  /**
   * A scaling model's {@code "scale"}: for each feature (an object by name, or a list by
   * coordinate of x) how many training values it has seen, their mean and population variance,
   * and M2 (the sum of squared deviations, exactly as kept, so that an exported model imports
   * bit for bit).
   */
  private static void putScale(final ObjectNode node, final StandardScaler scaler) {
    if (scaler == null) {
      return;
    }
    final ObjectNode byName = scaler.byName() ? node.putObject("scale") : null;
    final ArrayNode byCoordinate = scaler.byName() ? null : node.putArray("scale");
    final double[] m = scaler.moments();
    for (int i = 0; i < scaler.size(); i++) {
      final ObjectNode one = byName != null ? byName.putObject(scaler.name(i))
          : byCoordinate.addObject();
      final int at = Welford.SLOTS * i;
      one.put("count", (long) m[at]);
      one.put("mean", m[at + 1]);
      one.put("variance", m[at] > 0 ? m[at + 2] / m[at] : 0.0);
      one.put("m2", m[at + 2]);
    }
  }

  /** The scaler of {@link #putScale}'s {@code "scale"}; null when the model has none. */
  private static StandardScaler parseScale(final JsonNode scale) {
    if (scale == null || scale.isNull()) {
      return null;
    }
    if (!scale.isObject() && !scale.isArray()) {
      throw new IllegalArgumentException("\"scale\" is an object by feature name or a list by "
          + "coordinate of {\"count\", \"mean\", \"m2\"}");
    }
    final List<String> names = scale.isObject() ? new ArrayList<>() : null;
    final double[] moments = new double[Welford.SLOTS * scale.size()];
    if (names != null) {
      scale.properties().forEach(e -> {
        moments(e.getValue(), "scale \"" + e.getKey() + "\"", moments,
            Welford.SLOTS * names.size());
        names.add(e.getKey());
      });
    } else {
      for (int i = 0; i < scale.size(); i++) {
        moments(scale.get(i), "scale[" + i + "]", moments, Welford.SLOTS * i);
      }
    }
    return StandardScaler.of(names, moments);
  }

  private static void moments(final JsonNode one, final String what, final double[] into,
      final int at) {
    into[at] = number(one.path("count"), what + " count");
    into[at + 1] = number(one.path("mean"), what + " mean");
    into[at + 2] = number(one.path("m2"), what + " m2");
  }
}
