package io.gradstream.step;

import io.gradstream.events.EventFields;
import io.gradstream.events.EventKind;
import io.gradstream.events.ModelControl;
import io.gradstream.events.Outcome;
import io.gradstream.learn.HashedNeuron;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.gradstream.learn.features.HashedVector;
import java.time.Duration;
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
 */
public final class EventStep {
  private final Learner learner;
  /** The learner of a hashed spec, and the hashing of its events' features; null when dense. */
  private final HashedNeuron hashed;
  private final HashedInput hashedInput;
  private final long ttlMillis;
  private final double maxAbsFeature;
  private final Map<String, Model> initModels;
  /** The model a prediction for a key never trained is made with; never stepped. */
  private final Model initial;

  private EventKind kind;
  /** A joined hashed prediction's input, unpacked. */
  private final HashedVector joinedInput = new HashedVector();
  private Model created;
  private PendingPrediction joined;
  private long labelDelay;
  private ModelControl control;
  /** Why the last set control record's model does not fit, for its dead letter. */
  private String misfit;

  /** @param rules how late a label may come, how large a feature may be */
  public EventStep(final ModelSpec spec, final EventRules rules) {
    this.learner = Learner.of(spec);
    this.hashed = spec.hashBits() > 0 ? new HashedNeuron(spec) : null;
    this.hashedInput = spec.hashBits() > 0 ? new HashedInput(spec.hashing()) : null;
    this.ttlMillis = rules.labels().ttlMillis();
    this.maxAbsFeature = rules.maxAbsFeature();
    this.initModels = rules.initModels();
    this.initial = learner.newModel();
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
    joined = null;
    control = null;
    final boolean withInput = kind == EventKind.TRAIN || kind == EventKind.PREDICT;
    if (withInput && (hashed != null ? event.x != null : event.hasFeatures)) {
      return Outcome.WRONG_INPUT;
    }
    // no limit (the default) costs no pass over x
    if (maxAbsFeature != Double.POSITIVE_INFINITY && beyondLimit(event) >= 0) {
      return Outcome.FEATURE_OUT_OF_RANGE;
    }
    if (hashed != null && withInput) {
      final HashedVector input = hashedInput.of(event.features);
      if (input == null) {
        return Outcome.TOO_MANY_TERMS;
      }
      return kind == EventKind.TRAIN ? learnHashed(keyName, model, input, event.d, out)
          : predictHashed(key, keyName, model, input, event, time, pending, out);
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

  /** A new model for {@code keyName}: its own starting model when it has one. */
  private Model newModel(final String keyName) {
    final Model start = initModels.get(keyName);
    return start != null ? start.copy() : learner.newModel();
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

  private Outcome learnHashed(final String keyName, final Model model, final HashedVector x,
      final double d, final StepResult out) {
    final Model stepped = model != null ? model : newModel(keyName);
    return created(model, stepped, Outcome.of(hashed.learn(stepped, x, d, out)));
  }

  /** {@code outcome}; a key's first model is {@link #created()} when it trained. */
  private Outcome created(final Model model, final Model stepped, final Outcome outcome) {
    if (model == null && outcome == Outcome.TRAINED) {
      created = stepped;
    }
    return outcome;
  }

  /**
   * A hashed prediction with an id waits with its input as pairs (coordinate, value) in x, which
   * its label turns back into the input ({@link #unpack}).
   */
  private Outcome predictHashed(final byte[] key, final String keyName, final Model model,
      final HashedVector x, final EventFields event, final long time,
      final PendingPredictions pending, final StepResult out) {
    final Model current = model != null ? model : initModels.getOrDefault(keyName, initial);
    final Outcome outcome = Outcome.of(hashed.predict(current, x, out));
    if (outcome == Outcome.PREDICTED && event.id != null) {
      final double[] pairs = new double[2 * x.size()];
      for (int i = 0; i < x.size(); i++) {
        pairs[2 * i] = x.coordinate(i);
        pairs[2 * i + 1] = x.value(i);
      }
      pending.put(key, keyName, event.id, pairs, out.y(), current.count(), time);
    }
    return outcome;
  }

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
    return created(model, stepped, Outcome.of(learner.learn(stepped, x, d, out)));
  }

  private Outcome predict(final byte[] key, final String keyName, final Model model,
      final EventFields event, final long time, final PendingPredictions pending,
      final StepResult out) {
    final Model current = model != null ? model : initModels.getOrDefault(keyName, initial);
    final Outcome outcome = Outcome.of(learner.predict(current, event.x, out));
    if (outcome == Outcome.PREDICTED && event.id != null) {
      pending.put(key, keyName, event.id, event.x, out.y(), current.count(), time);
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
    return hashed != null ? learnHashed(keyName, model, unpack(prediction.x), event.d, out)
        : learn(keyName, model, prediction.x, event.d, out);
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
      case NON_FINITE_FEATURE -> hashed != null ? "a feature is NaN or infinite"
          : outcome.detail(x(event).length, features);
      case TOO_MANY_TERMS -> "the event has " + hashedInput.tooManyTerms();
      case UNKNOWN_PREDICTION ->
          "no prediction with id '" + event.id
              + "' waits for a label (never made, already labelled, or expired)";
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

  /** The prediction the last event (a label) was joined with, else null. */
  public PendingPrediction joined() {
    return joined;
  }

  /** For a label: its time minus its prediction's, in milliseconds. */
  public long labelDelay() {
    return labelDelay;
  }

  /** The x of the last event's step: its own, or a joined label's stored one. */
  public double[] x(final EventFields event) {
    return joined != null ? joined.x : event.x;
  }
}
