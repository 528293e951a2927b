package io.gradstream.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.events.BadRowHandler;
import io.gradstream.events.CsvExpectations;
import io.gradstream.events.EventFields;
import io.gradstream.events.EventFileReader;
import io.gradstream.events.EventRowHandler;
import io.gradstream.events.ModelControl;
import io.gradstream.events.NamedFeatures;
import io.gradstream.events.Outcome;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.query.ModelJson;
import io.gradstream.step.EventRules;
import io.gradstream.step.EventStep;
import io.gradstream.step.LabelTtl;
import io.gradstream.step.PendingPrediction;
import io.gradstream.step.PendingPredictions;
import java.io.IOException;
import java.io.Reader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Offline learning on an event file with exactly the streaming semantics: one model per key, rows
 * in file order, each through the same {@link EventStep} the stream processor calls, predictions
 * and labels included.
 *
 * <p>Time: a row's event time is its {@code eventTime}; a row without one takes the latest event
 * time seen so far (0 before any), standing in for the record timestamp the stream would use.
 */
public final class Replay {
  /** Where each prediction goes, in input order. */
  public interface PredictionSink {
    void prediction(String key, String id, double y, long modelStep);
  }

  private final EventStep eventStep;
  private final int features;
  /** A hashed spec reads a CSV's columns as named features. */
  private final boolean named;
  private final Map<String, Model> models = new LinkedHashMap<>();
  private final Pending pending = new Pending();
  private final StepResult step = new StepResult();
  private PredictionSink predictions = (key, id, y, modelStep) -> { };
  private long streamTime;
  private long invalid;
  private long predicted;
  private long rows;

  public Replay(final ModelSpec spec) {
    this(spec, LabelTtl.defaults());
  }

  public Replay(final ModelSpec spec, final LabelTtl labelTtl) {
    this(spec, EventRules.of(labelTtl));
  }

  public Replay(final ModelSpec spec, final EventRules rules) {
    this.eventStep = new EventStep(spec, rules);
    this.features = spec.hashBits() > 0 ? 0 : spec.features();
    this.named = spec.hashBits() > 0;
  }

  /** Hands every prediction to {@code sink}. */
  public Replay predictionsTo(final PredictionSink sink) {
    this.predictions = sink;
    return this;
  }

  /**
   * Learns from every row of {@code file}.
   *
   * @throws io.gradstream.events.EventFileException when the file as a whole is not an event file
   *     (then nothing is trained)
   */
  public void train(final Reader file, final BadRowHandler badRows) throws IOException {
    train(file, new CsvExpectations(CsvExpectations.DEFAULT_LABEL, false, features, named,
        Set.of()), badRows);
  }

  /** As {@link #train(Reader, BadRowHandler)}, with a CSV header as {@code expected}. */
  public void train(final Reader file, final CsvExpectations expected,
      final BadRowHandler badRows) throws IOException {
    new EventFileReader(file, expected).read(new EventRowHandler() {
      @Override
      public void onEvent(final long line, final String key, final EventFields event) {
        rows++;
        if (ModelControl.SET.code().equals(event.control) && event.controlModelJson != null) {
          try {
            final ModelJson.Exported exported = ModelJson.parseExported(event.controlModelJson);
            event.controlModel = exported.model();
            event.controlSettings = exported.settings();
          } catch (final IllegalArgumentException e) {
            invalid++;
            badRows.onBadRow(line, Outcome.MODEL_MISFIT.code(), "the model of a set control "
                + "record: " + e.getMessage());
            return;
          }
        }
        final long time = event.time(streamTime);
        streamTime = Math.max(streamTime, time);
        final Model known = models.get(key);
        // as in the stream, a model exists only once an event of its key has been trained
        final Outcome outcome = eventStep.apply(null, key, known, event, time, pending, step);
        if (outcome == Outcome.PREDICTED) {
          predicted++;
          predictions.prediction(key, event.id, step.y(), known == null ? 0 : known.count());
        } else if (outcome == Outcome.CONTROLLED) {
          if (eventStep.control() == ModelControl.DELETE) {
            models.remove(key);
          } else if (eventStep.created() != null) {
            // a model exists once it is set, as once it is trained
            models.put(key, eventStep.created());
          }
        } else if (outcome != Outcome.TRAINED) {
          invalid++; // the row is counted once, above
          badRows.onBadRow(line, outcome.code(), eventStep.detail(outcome, event, known));
        } else if (known == null) {
          models.put(key, eventStep.created());
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

  /** Rows that were neither trained nor predicted: bad rows, and labels that joined nothing. */
  public long invalid() {
    return invalid;
  }

  public long predicted() {
    return predicted;
  }

  /** Rows read, used or not: 0 for an empty or header-only file. */
  public long rows() {
    return rows;
  }

  /** The replay output: {"models": {key: model}, "invalid": n}. */
  public ObjectNode toJson() {
    final ObjectNode root = ModelJson.MAPPER.createObjectNode();
    final ObjectNode byKey = root.putObject("models");
    models.forEach((key, model) -> byKey.set(key, ModelJson.of(model)));
    root.put("invalid", invalid);
    return root;
  }

  /** Pending predictions in memory, by model and id; replay ends with its file, so no cleanup. */
  private static final class Pending implements PendingPredictions {
    private final Map<String, Map<String, PendingPrediction>> byKey = new HashMap<>();

    @Override
    public PendingPrediction get(final byte[] key, final String keyName, final String id) {
      final Map<String, PendingPrediction> ofKey = byKey.get(keyName);
      return ofKey == null ? null : ofKey.get(id);
    }

    @Override
    public void put(final byte[] key, final String keyName, final String id, final double[] x,
        final NamedFeatures features, final double y, final long modelStep,
        final long eventTime) {
      byKey.computeIfAbsent(keyName, k -> new HashMap<>()).put(id, new PendingPrediction(
          x.clone(), features == null ? null : features.copy(), y, modelStep, eventTime));
    }

    @Override
    public void remove(final byte[] key, final String keyName, final String id) {
      final Map<String, PendingPrediction> ofKey = byKey.get(keyName);
      if (ofKey != null) {
        ofKey.remove(id);
      }
    }
  }
}
