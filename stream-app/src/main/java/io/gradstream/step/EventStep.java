package io.gradstream.step;

import io.gradstream.events.EventFields;
import io.gradstream.events.EventKind;
import io.gradstream.events.ModelControl;
import io.gradstream.events.NamedFeatures;
import io.gradstream.events.Outcome;
import io.gradstream.learn.Classes;
import io.gradstream.learn.HashedLearner;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.evaluate.ModelEvaluation;
import io.gradstream.learn.features.HashedVector;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What one event does to its model and to the pending predictions, by its kind: a training event
 * takes a step; a prediction computes y with the model as it is and, with an id, is kept pending;
 * a label finds its pending prediction and takes the step with the stored x and the weights of
 * now. The stream processor and {@code replay} both hand every event to {@link #apply}, which is
 * what makes their models and predictions bit-identical.
 *
 * <p>Lateness is decided by event times alone: a label is too late when its time minus its
 * prediction's is more than the time to live. An invalid label (a non-finite d, or one the loss
 * does not take) leaves its prediction pending, so that a corrected label can still follow; a
 * label that is judged, joined or too late, removes it.
 *
 * <p>A judged model ({@link EventRules#evaluation()}) adds each step's ŷ (before the step) and d
 * to its prequential samples, and a joined label's served ŷ and d to its served ones; when its
 * drift detector signals a drift and a drift resets, the model goes on as its {@link
 * #replacement()}: its starting parameters and a fresh optimizer state, with its steps, loss,
 * scaler and evaluation.
 */
public final class EventStep {
  private static final double[] NO_X = {};
  private final Learner learner;
  /** The learner of a hashed spec, and the hashing of its events' features; null when dense. */
  private final HashedLearner hashed;
  private final HashedInput hashedInput;
  private final long ttlMillis;
  private final double maxAbsFeature;
  /** The most coordinates, and numbers scaled, a hashed model may keep. */
  private final int maxCoordinates;
  private final Map<String, Model> initModels;
  /** The model a prediction for a key never trained is made with; never stepped. */
  private final Model initial;
  /** How models are judged; null when they are not. */
  private final EvaluationSpec evaluation;
  private final EvaluationKind evaluationKind;
  /** The classes of a multi-class model, which name its labels; null for one output. */
  private final Classes classes;

  private EventKind kind;
  /** A joined hashed prediction's input, unpacked. */
  private final HashedVector joinedInput = new HashedVector();
  private final ScaledX scaledX = new ScaledX();
  private Model created;
  private Model replacement;
  private boolean drifted;
  private boolean driftReset;
  private PendingPrediction joined;
  /** The x the learner was given in the last step (scaled, if the model scales), else null. */
  private double[] stepX;
  private long labelDelay;
  private ModelControl control;
  /** Why the last set control record's model does not fit, for its dead letter. */
  private String misfit;

  /** @param rules how late a label may come, how large a feature may be */
  public EventStep(final ModelSpec spec, final EventRules rules) {
    this.learner = Learner.of(spec);
    this.hashed = spec.hashBits() > 0 ? HashedLearner.of(spec) : null;
    this.hashedInput = spec.hashBits() > 0 ? new HashedInput(spec.hashing()) : null;
    this.ttlMillis = rules.labels().ttlMillis();
    this.maxAbsFeature = rules.maxAbsFeature();
    this.maxCoordinates = spec.hashing().maxCoordinates();
    this.initModels = withScalers(rules.initModels(), spec);
    this.initial = learner.newModel();
    this.evaluation = rules.evaluation();
    this.evaluationKind = EvaluationKind.of(spec.loss());
    this.classes = spec.classes();
    if (evaluation != null) {
      final String misfit = evaluation.drift().misfit(evaluationKind);
      if (misfit != null) {
        throw new IllegalArgumentException(misfit);
      }
    }
  }

  /**
   * @param key the model id as the record key holds it
   * @param keyName the model id as text
   * @param model the key's model, null when it has none yet
   * @param time the event's time: its own, else its record timestamp (or, in replay, the latest
   *     event time so far)
   * @param out what the step or the prediction computed
   */
  public Outcome apply(final byte[] key, final String keyName, final Model model,
      final EventFields event, final long time, final PendingPredictions pending,
      final StepResult out) {
    kind = EventKind.of(event);
    created = null;
    replacement = null;
    drifted = false;
    driftReset = false;
    joined = null;
    stepX = null;
    control = null;
    if (event.label != null) {
      // a label by name is its class's index, or a label no class has
      event.d = classes == null ? -1.0 : classes.label(event.label);
      if (event.d < 0.0) {
        return Outcome.LABEL_OUT_OF_RANGE;
      }
    }
    final boolean withInput = kind == EventKind.TRAIN || kind == EventKind.PREDICT;
    if (withInput && (hashed != null ? event.x != null : event.hasFeatures)) {
      return Outcome.WRONG_INPUT;
    }
    // no limit (the default) costs no pass over x
    if (maxAbsFeature != Double.POSITIVE_INFINITY && beyondLimit(event) >= 0) {
      return Outcome.FEATURE_OUT_OF_RANGE;
    }
    if (hashed != null && withInput) {
      return kind == EventKind.TRAIN ? learnHashed(keyName, model, event.features, event.d, out)
          : predictHashed(key, keyName, model, event, time, pending, out);
    }
    return switch (kind) {
      case TRAIN -> learn(keyName, model, event.x, event.d, out);
      case PREDICT -> predict(key, keyName, model, event, time, pending, out);
      case LABEL -> label(key, keyName, model, event, time, pending, out);
      case CONTROL -> control(keyName, model, event);
      case INCOMPLETE -> Outcome.INCOMPLETE_EVENT;
    };
  }

  /**
   * An operator's action: a reset makes a fresh model for a key that has one ({@link #created}),
   * a delete leaves the removal to the caller ({@link #control()}); a key without a model is left
   * without one either way. Pending predictions stay: their labels train what the key has then.
   */
  private Outcome control(final String keyName, final Model model, final EventFields event) {
    control = ModelControl.of(event.control);
    if (control == null) {
      return Outcome.UNKNOWN_CONTROL;
    }
    if (control == ModelControl.RESET && model != null) {
      created = newModel(keyName);
    } else if (control == ModelControl.SET) {
      misfit = EventRules.misfit(event.controlModel, learner.spec());
      if (misfit != null) {
        control = null;
        return Outcome.MODEL_MISFIT;
      }
      created = EventRules.fitted(event.controlModel, event.controlSettings, learner.spec());
    }
    return Outcome.CONTROLLED;
  }

  /** Starting models from a file, each scaling (if the spec does) from nothing seen. */
  private static Map<String, Model> withScalers(final Map<String, Model> models,
      final ModelSpec spec) {
    if (Model.freshScaler(spec) == null) {
      return models;
    }
    final Map<String, Model> scaling = new HashMap<>();
    models.forEach((key, model) -> scaling.put(key, model.scaler() != null ? model
        : model.withScaler(Model.freshScaler(spec))));
    return scaling;
  }

  /** A new model for {@code keyName}: its own starting model when it has one. */
  private Model newModel(final String keyName) {
    final Model start = initModels.get(keyName);
    final Model model = start != null ? start.copy() : learner.newModel();
    return evaluation == null ? model : model.judgedBy(evaluation.fresh(evaluationKind));
  }

  /**
   * The first feature beyond ±{@link #maxAbsFeature} (of x, or of the named numbers), or -1 (NaN
   * is the model's to refuse).
   */
  private int beyondLimit(final EventFields event) {
    if (event.x != null) {
      for (int i = 0; i < event.x.length; i++) {
        if (Math.abs(event.x[i]) > maxAbsFeature) {
          return i;
        }
      }
    } else if (event.hasFeatures) {
      for (int i = 0; i < event.features.size(); i++) {
        if (Math.abs(event.features.value(i)) > maxAbsFeature) {
          return i;
        }
      }
    }
    return -1;
  }

  /** A training event's (or a joined label's) step on named features, scaled if the model is. */
  private Outcome learnHashed(final String keyName, final Model model,
      final NamedFeatures features, final double d, final StepResult out) {
    final Model stepped = model != null ? model : newModel(keyName);
    final HashedVector x = hashedInput.of(features, stepped.scaler(), true);
    if (x == null) {
      return hashedInput.refusal();
    }
    // the scaler is bounded as the coordinates are: a feature's first value adds no coordinate
    if (stepped.scaler() != null && stepped.scaler().size()
        + HashedInput.newNumbers(features, stepped.scaler()) > maxCoordinates) {
      return Outcome.MODEL_FULL;
    }
    final Outcome outcome = Outcome.of(hashed.learn(stepped, x, d, out));
    if (outcome == Outcome.TRAINED && stepped.scaler() != null) {
      HashedInput.commit(features, stepped.scaler());
    }
    return trained(keyName, model, stepped, d, out, outcome);
  }

  /** A step on an input already hashed: a label joined to a prediction an earlier release kept. */
  private Outcome learnHashed(final String keyName, final Model model, final HashedVector x,
      final double d, final StepResult out) {
    final Model stepped = model != null ? model : newModel(keyName);
    return trained(keyName, model, stepped, d, out, Outcome.of(hashed.learn(stepped, x, d, out)));
  }

  /**
   * {@code outcome}; when it trained, a judged model takes its samples, a key's first model is
   * {@link #created()}, and a drift that resets makes the {@link #replacement()}.
   */
  private Outcome trained(final String keyName, final Model model, final Model stepped,
      final double d, final StepResult out, final Outcome outcome) {
    if (outcome != Outcome.TRAINED) {
      return outcome;
    }
    Model now = stepped;
    if (evaluation != null) {
      ModelEvaluation judge = stepped.evaluation();
      if (judge == null) {
        judge = stepped.judgedBy(evaluation.fresh(evaluationKind)).evaluation();
      }
      judge.follow(evaluation);
      drifted = judge.learned(joined != null ? joined.y : Double.NaN, out, d, stepped.count());
      driftReset = drifted && evaluation.drift().reset();
      if (driftReset) {
        judge.reset();
        now = stepped.restartedAs(newModel(keyName));
        replacement = model == null ? null : now;
      }
    }
    if (model == null) {
      created = now;
    }
    return outcome;
  }

  /** A hashed prediction with an id waits with the event's named features. */
  private Outcome predictHashed(final byte[] key, final String keyName, final Model model,
      final EventFields event, final long time, final PendingPredictions pending,
      final StepResult out) {
    final Model current = model != null ? model : initModels.getOrDefault(keyName, initial);
    final HashedVector x = hashedInput.of(event.features, current.scaler(), false);
    if (x == null) {
      return hashedInput.refusal();
    }
    final Outcome outcome = Outcome.of(hashed.predict(current, x, out));
    if (outcome == Outcome.PREDICTED && event.id != null) {
      pending.put(key, keyName, event.id, NO_X, event.features, out.y(), current.count(), time);
    }
    return outcome;
  }

  /** The pairs (coordinate, value) of a hashed input an earlier release kept as x. */
  private HashedVector unpack(final double[] pairs) {
    joinedInput.clear();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      joinedInput.add((int) pairs[i], pairs[i + 1]);
    }
    return joinedInput;
  }

  private Outcome learn(final String keyName, final Model model, final double[] x,
      final double d, final StepResult out) {
    final Model stepped = model != null ? model : newModel(keyName);
    stepX = scaledX.of(stepped, x, true);
    final Outcome outcome = Outcome.of(learner.learn(stepped, stepX, d, out));
    if (outcome == Outcome.TRAINED) {
      ScaledX.commit(stepped, x);
    }
    return trained(keyName, model, stepped, d, out, outcome);
  }

  private Outcome predict(final byte[] key, final String keyName, final Model model,
      final EventFields event, final long time, final PendingPredictions pending,
      final StepResult out) {
    final Model current = model != null ? model : initModels.getOrDefault(keyName, initial);
    final Outcome outcome = Outcome.of(learner.predict(current,
        scaledX.of(current, event.x, false), out));
    if (outcome == Outcome.PREDICTED && event.id != null) {
      pending.put(key, keyName, event.id, event.x, null, out.y(), current.count(), time);
    }
    return outcome;
  }

  private Outcome label(final byte[] key, final String keyName, final Model model,
      final EventFields event, final long time, final PendingPredictions pending,
      final StepResult out) {
    // checked before the join, so that a wrong label leaves its prediction pending
    final Verdict refused = learner.refusedLabel(event.d);
    if (refused != null) {
      return Outcome.of(refused);
    }
    final PendingPrediction prediction = pending.get(key, keyName, event.id);
    if (prediction == null) {
      return Outcome.UNKNOWN_PREDICTION;
    }
    pending.remove(key, keyName, event.id);
    labelDelay = time - prediction.eventTime;
    if (labelDelay > ttlMillis) {
      return Outcome.LABEL_TOO_LATE;
    }
    joined = prediction;
    if (hashed == null) {
      return learn(keyName, model, prediction.x, event.d, out);
    }
    return prediction.features != null
        ? learnHashed(keyName, model, prediction.features, event.d, out)
        : learnHashed(keyName, model, unpack(prediction.x), event.d, out);
  }

  /** Why the last event was refused with {@code outcome}, for a person; null if it was not. */
  public String detail(final Outcome outcome, final EventFields event, final Model model) {
    final int features = learner.spec().features();
    return switch (outcome) {
      case INCOMPLETE_EVENT -> EventKind.incomplete(event);
      case UNKNOWN_CONTROL ->
          "unknown control '" + event.control + "' (expected reset, delete or set)";
      case MODEL_MISFIT -> misfit;
      case FEATURE_OUT_OF_RANGE -> {
        final int i = beyondLimit(event);
        yield (event.x != null ? "x[" + i + "] is " + event.x[i]
            : "feature \"" + event.features.name(i) + "\" is " + event.features.value(i))
            + ", beyond --max-abs-feature " + maxAbsFeature;
      }
      case WRONG_INPUT -> hashed != null
          ? "the event has x, the model takes named features (\"features\", --hash-bits)"
          : "the event has named features, the model takes x: give --hash-bits to hash them";
      case NON_FINITE_FEATURE -> hashed != null ? outcome.namedDetail(features)
          : outcome.detail(x(event).length, features);
      case TOO_MANY_TERMS, DUPLICATE_FEATURE -> hashedInput.refusalDetail();
      case MODEL_FULL -> "the model has touched " + (model == null ? 0
          : model.sparse() != null ? model.sparse().size() : model.columns().size())
          + " coordinates" + (model == null || model.scaler() == null ? ""
              : " and scales " + model.scaler().size() + " numbers")
          + ", and this event's new ones would take it beyond --max-coordinates "
          + maxCoordinates;
      case UNKNOWN_PREDICTION ->
          "no prediction with id '" + event.id
              + "' waits for a label (never made, already labelled, or expired)";
      case LABEL_OUT_OF_RANGE -> labelDetail(event);
      case LABEL_TOO_LATE ->
          "the label came " + Duration.ofMillis(labelDelay)
              + " after its prediction (event times), more than the ttl "
              + Duration.ofMillis(ttlMillis);
      default -> {
        final double[] x = x(event);
        yield outcome.detail(x == null ? 0 : x.length, model != null ? model.features() : features);
      }
    };
  }

  /** Why the event's label is none the model takes. */
  private String labelDetail(final EventFields event) {
    if (classes == null) {
      return event.label != null ? "d is the class name '" + event.label + "', the model's "
          + "loss takes a number" : Outcome.LABEL_OUT_OF_RANGE.detail(0, 0);
    }
    final String names = classes.hasNames() ? String.join(", ", classes.names()) : "";
    if (event.label != null) {
      return "no class is named '" + event.label + "'" + (classes.hasNames()
          ? " (the classes are " + names + ")" : ": the classes are numbered 0.."
          + (classes.count() - 1));
    }
    return "d is " + event.d + ", not a class index 0.." + (classes.count() - 1)
        + (classes.hasNames() ? " or name (" + names + ")" : "");
  }

  /** The action of the last event when it was {@link Outcome#CONTROLLED}, else null. */
  public ModelControl control() {
    return control;
  }

  /** The kind of the last event. */
  public EventKind kind() {
    return kind;
  }

  /**
   * The model the last event created (its key had none and it trained, or it was reset), else
   * null.
   */
  public Model created() {
    return created;
  }

  /**
   * The model the last event's key goes on with after a drift reset it, when the key had a model
   * before the event; else null (a first model reset at once is the {@link #created()} one).
   */
  public Model replacement() {
    return replacement;
  }

  /** Whether the last event's step signalled a drift of its model. */
  public boolean drifted() {
    return drifted;
  }

  /** Whether the last event's drift reset its model's parameters (--on-drift reset). */
  public boolean driftReset() {
    return driftReset;
  }

  /** The prediction the last event (a label) was joined with, else null. */
  public PendingPrediction joined() {
    return joined;
  }

  /** For a label: its time minus its prediction's, in milliseconds. */
  public long labelDelay() {
    return labelDelay;
  }

  /**
   * The x of the last event's step as the learner saw it (standardized, if the model scales; the
   * array is reused by the next event): its own, or a joined label's stored one.
   */
  public double[] x(final EventFields event) {
    return stepX != null ? stepX : joined != null ? joined.x : event.x;
  }
}
