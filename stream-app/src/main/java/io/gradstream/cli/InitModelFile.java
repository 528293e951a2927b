package io.gradstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradstream.learn.Layers;
import io.gradstream.learn.Model;
import io.gradstream.query.ModelJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;

/**
 * The model that {@code --init-model} starts every new model from: a file in the shape of {@code
 * replay}'s output (with one model) or one model object as {@code GET /models/{key}} answers.
 * Only its parameters are taken; steps, loss and optimizer state start afresh.
 */
final class InitModelFile {
  private InitModelFile() {}

  /** @throws IllegalArgumentException naming the file and what is wrong with it */
  static Model read(final Path file) {
    final JsonNode root;
    try {
      root = ModelJson.MAPPER.readTree(Files.readAllBytes(file));
    } catch (final IOException e) {
      throw new IllegalArgumentException("init model " + file + " cannot be read: "
          + e.getMessage().lines().findFirst().orElse(e.toString()));
    }
    JsonNode model = root;
    final JsonNode models = root == null ? null : root.get("models");
    if (models != null) {
      if (models.size() != 1) {
        throw new IllegalArgumentException("init model " + file + " holds "
            + Counted.of(models.size(), "model") + "; give a file with one (for example one "
            + "model of replay's output)");
      }
      final Iterator<JsonNode> only = models.elements();
      model = only.next();
    }
    if (model == null || !model.isObject()) {
      throw new IllegalArgumentException("init model " + file + " is not a model as replay "
          + "writes it");
    }
    try {
      return ModelJson.parse(model);
    } catch (final IllegalArgumentException e) {
      throw new IllegalArgumentException("init model " + file + ": " + e.getMessage());
    }
  }

  /** Why {@code model} cannot start models of this shape, or null. */
  static String misfit(final Path file, final Model model, final int features,
      final boolean bias, final Layers layers) {
    if (!Objects.equals(model.layers(), layers)) {
      return "init model " + file + " is " + shape(model.layers(), model)
          + " but the settings ask for " + shape(layers, null) + " (--features, --hidden)";
    }
    if (layers == null && (model.features() != features || model.hasBias() != bias)) {
      return "init model " + file + " has " + model.features() + " weights"
          + (model.hasBias() ? " and a bias" : " and no bias") + " but the settings ask for "
          + features + (bias ? " and a bias" : " and no bias") + " (--features, --bias)";
    }
    return null;
  }

  private static String shape(final Layers layers, final Model neuron) {
    return layers != null
        ? "a network " + layers
        : neuron != null
            ? "one neuron of " + Counted.of(neuron.features(), "feature")
            : "one neuron";
  }
}
