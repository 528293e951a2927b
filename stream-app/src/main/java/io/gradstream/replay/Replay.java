package io.gradstream.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.events.BadRowHandler;
import io.gradstream.events.EventFields;
import io.gradstream.events.EventFileReader;
import io.gradstream.events.EventRowHandler;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.Neuron;
import io.gradstream.learn.Outcome;
import io.gradstream.learn.StepResult;
import java.io.IOException;
import java.io.Reader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Offline training on an event file with exactly the streaming semantics: one model per key, rows
 * in file order, each through the same {@link Neuron#learn} the stream processor calls.
 */
public final class Replay {
  private final Neuron neuron;
  private final Map<String, Model> models = new LinkedHashMap<>();
  private final StepResult step = new StepResult();
  private long invalid;
  private long rows;

  public Replay(final ModelSpec spec) {
    this.neuron = new Neuron(spec);
  }

  /**
   * Trains on every row of {@code file}.
   *
   * @throws io.gradstream.events.EventFileException when the file as a whole is not an event file
   *     (then nothing is trained)
   */
  public void train(final Reader file, final BadRowHandler badRows) throws IOException {
    new EventFileReader(file).read(new EventRowHandler() {
      @Override
      public void onEvent(final long line, final String key, final EventFields event) {
        rows++;
        // as in the stream, a model exists only once an event of its key has been trained
        final Model known = models.get(key);
        final Model model = known != null ? known : neuron.newModel();
        final Outcome outcome = neuron.learn(model, event.x, event.d, step);
        if (outcome != Outcome.TRAINED) {
          onBadRow(line, outcome.code(), outcome.detail(event.x.length, model.features()));
        } else if (known == null) {
          models.put(key, model);
        }
      }

      @Override
      public void onBadRow(final long line, final String reason, final String detail) {
        rows++;
        invalid++;
        badRows.onBadRow(line, reason, detail);
      }
    });
  }

  public Map<String, Model> models() {
    return models;
  }

  public long invalid() {
    return invalid;
  }

  /** Rows read, trained or not: 0 for an empty or header-only file. */
  public long rows() {
    return rows;
  }

  /** PRODUCT.md's replay output: {"models": {key: model}, "invalid": n}. */
  public ObjectNode toJson() {
    final ObjectNode root = ModelJson.MAPPER.createObjectNode();
    final ObjectNode byKey = root.putObject("models");
    models.forEach((key, model) -> byKey.set(key, ModelJson.of(model)));
    root.put("invalid", invalid);
    return root;
  }
}
