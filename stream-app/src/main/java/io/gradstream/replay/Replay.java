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
import io.gradstream.learn.Classes;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.evaluate.ModelEvaluation;
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

    /** The prediction with all the step computed (a model of K classes' probabilities). */
    default void prediction(final String key, final String id, final StepResult step,
        final long modelStep) {
      prediction(key, id, step.y(), modelStep);
    }
  }

  /** Called every so many rows, with the replay as it stands. */
  public interface ProgressSink {
    void progress(Replay replay);
  }

  private final EventStep eventStep;
  /** Every model's samples together, when models are judged; else null. */
  private final ModelEvaluation overall;
  private ProgressSink progress;
  private long progressEvery;
  private long trained;
  private final int features;
  /** A hashed spec reads a CSV's columns as named features. */
  private final boolean named;
  /** The classes of a multi-class spec, written with its models; null otherwise. */
  private final Classes classes;
  private final Map<String, Model> models = new LinkedHashMap<>();
  private final Pending pending = new Pending();
  private final StepResult step = new StepResult();
  private PredictionSink predictions = (key, id, y, modelStep) -> { };
  private long streamTime;
  private long invalid;
  private long predicted;
  private long rows;
  private Outcome lastOutcome;

  public Replay(final ModelSpec spec) {
    this(spec, LabelTtl.defaults());
  }

  public Replay(final ModelSpec spec, final LabelTtl labelTtl) {
    this(spec, EventRules.of(labelTtl));
  }

  public Replay(final ModelSpec spec, final EventRules rules) {
    this.eventStep = new EventStep(spec, rules);
    final EvaluationSpec judging = rules.evaluation();
    this.overall = judging == null ? null : new EvaluationSpec(judging.window(),
        DriftSettings.none()).fresh(EvaluationKind.of(spec.loss()));
    this.features = spec.hashBits() > 0 ? 0 : spec.features();
    this.named = spec.hashBits() > 0;
    this.classes = spec.classes();
  }

  /** Hands every prediction to {@code sink}. */
  public Replay predictionsTo(final PredictionSink sink) {
    this.predictions = sink;
    return this;
  }

  /** Hands the replay to {@code sink} after every {@code every} rows (0: never). */
  public Replay progressTo(final long every, final ProgressSink sink) {
    this.progressEvery = every;
    this.progress = sink;
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
        Set.of(), classes != null && classes.hasNames()), badRows);
  }

  /** As {@link #train(Reader, BadRowHandler)}, with a CSV header as {@code expected}. */
  public void train(final Reader file, final CsvExpectations expected,
      final BadRowHandler badRows) throws IOException {
    new EventFileReader(file, expected).read(new EventRowHandler() {
      @Override
      public void onEvent(final long line, final String key, final EventFields event) {
        read(line, key, event, badRows);
      }

      @Override
      public void onBadRow(final long line, final String reason, final String detail) {
        badRow(line, reason, detail, badRows);
      }
    });
  }

  /** One row read as an event of {@code key}: what {@link #train} does with each. */
  public void read(final long line, final String key, final EventFields event,
      final BadRowHandler badRows) {
    rows++;
    lastOutcome = null;
    event(line, key, event, badRows);
    progressed();
  }

  /** One row that could not be read as an event. */
  public void badRow(final long line, final String reason, final String detail,
      final BadRowHandler badRows) {
    rows++;
    invalid++;
    lastOutcome = null;
    badRows.onBadRow(line, reason, detail);
    progressed();
  }

  /** What became of the last row read as an event (null for a bad row). */
  public Outcome lastOutcome() {
    return lastOutcome;
  }

  /** What the last event's step or prediction computed (valid until the next row). */
  public StepResult lastStep() {
    return step;
  }

  private void progressed() {
    if (progressEvery > 0 && rows % progressEvery == 0) {
      progress.progress(this);
    }
  }

  private void event(final long line, final String key, final EventFields event,
      final BadRowHandler badRows) {
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
    lastOutcome = outcome;
    if (outcome == Outcome.PREDICTED) {
      predicted++;
      predictions.prediction(key, event.id, step, known == null ? 0 : known.count());
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
    } else {
      trained(key, known, event);
    }
  }

  private void trained(final String key, final Model known, final EventFields event) {
    trained++;
    if (known == null) {
      models.put(key, eventStep.created());
    } else if (eventStep.replacement() != null) {
      models.put(key, eventStep.replacement());
    }
    if (overall != null) {
      final PendingPrediction joined = eventStep.joined();
      overall.learned(joined != null ? joined.y : Double.NaN, step, event.d, trained);
    }
  }

  /** A model of this replay as its output writes it. */
  public ObjectNode modelJson(final Model model) {
    return ModelJson.of(model, classes);
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

  /** Rows that took a step. */
  public long trained() {
    return trained;
  }

  /**
   * The replay output: {"models": {key: model}, "invalid": n}, and when models are judged the
   * "evaluation" of all their samples together.
   */
  public ObjectNode toJson() {
    final ObjectNode root = ModelJson.MAPPER.createObjectNode();
    final ObjectNode byKey = root.putObject("models");
    models.forEach((key, model) -> byKey.set(key, modelJson(model)));
    root.put("invalid", invalid);
    if (overall != null) {
      root.set("evaluation", ModelJson.evaluation(overall));
    }
    return root;
  }

  /**
   * A line of the learning curve: the rows read and trained so far, the evaluation of every
   * model's samples together, and that of each model of {@code keys} that has one.
   */
  public ObjectNode progressJson(final Iterable<String> keys) {
    final ObjectNode line = ModelJson.MAPPER.createObjectNode();
    line.put("rows", rows);
    line.put("trained", trained);
    if (overall != null) {
      line.set("evaluation", ModelJson.evaluation(overall));
    }
    final ObjectNode byKey = ModelJson.MAPPER.createObjectNode();
    for (final String key : keys) {
      final Model model = models.get(key);
      if (model != null && model.evaluation() != null) {
        final ObjectNode one = byKey.putObject(key);
        one.put("count", model.count());
        one.put("generation", model.evaluation().generation());
        one.set("evaluation", ModelJson.evaluation(model.evaluation()));
      }
    }
    if (!byKey.isEmpty()) {
      line.set("models", byKey);
    }
    return line;
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
