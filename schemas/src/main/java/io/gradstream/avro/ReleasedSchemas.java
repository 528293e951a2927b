package io.gradstream.avro;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;

/**
 * The schemas of released versions, kept in the jar ({@code schemas/released/}) so that records
 * and stored models written by an earlier release stay readable: each names its writer schema by
 * fingerprint, and a decoder resolves it from a store that knows every released version.
 */
public final class ReleasedSchemas {
  /** ModelState as gradstream 0.1.0 stored it: no settings. */
  public static final String MODEL_STATE_V1 = "ModelState-v1.avsc";
  /** ModelState before networks: settings, no layers. */
  public static final String MODEL_STATE_V2 = "ModelState-v2.avsc";
  /** ModelState before hashed models: layers, no hash bits or coordinates. */
  public static final String MODEL_STATE_V3 = "ModelState-v3.avsc";
  /** ModelState before scaling: hash bits and coordinates, no scaler. */
  public static final String MODEL_STATE_V4 = "ModelState-v4.avsc";
  /** ModelState before evaluation: the scaler, no evaluation. */
  public static final String MODEL_STATE_V5 = "ModelState-v5.avsc";
  /** PendingPrediction before named features: x alone. */
  public static final String PENDING_PREDICTION_V1 = "PendingPrediction-v1.avsc";
  /** LabeledEvent as gradstream 0.1.0 read it: x and d required, no id. */
  public static final String LABELED_EVENT_V1 = "LabeledEvent-v1.avsc";
  /** LabeledEvent before named features: x or id and d, no features. */
  public static final String LABELED_EVENT_V2 = "LabeledEvent-v2.avsc";
  /** LabeledEvent before labels by class name: named features, no label. */
  public static final String LABELED_EVENT_V3 = "LabeledEvent-v3.avsc";
  /** TrainingMetric as gradstream 0.1.0 wrote it: no id, served y, label delay or update norm. */
  public static final String TRAINING_METRIC_V1 = "TrainingMetric-v1.avsc";

  /** TrainingMetric before networks: no layers or per-layer gradient norms. */
  public static final String TRAINING_METRIC_V2 = "TrainingMetric-v2.avsc";
  /** TrainingMetric before K classes: layers, no probabilities or predicted label. */
  public static final String TRAINING_METRIC_V3 = "TrainingMetric-v3.avsc";
  /** TrainingMetric before races: probabilities and predicted label, no variant. */
  public static final String TRAINING_METRIC_V4 = "TrainingMetric-v4.avsc";
  /** Prediction before K classes: y alone, no probabilities or label. */
  public static final String PREDICTION_V1 = "Prediction-v1.avsc";
  /** Prediction before races: probabilities and label, no variant. */
  public static final String PREDICTION_V2 = "Prediction-v2.avsc";
  /** Drift before races: no variant. */
  public static final String DRIFT_V1 = "Drift-v1.avsc";

  /** Every released version kept in the jar. */
  public static final List<String> ALL = List.of(MODEL_STATE_V1, MODEL_STATE_V2,
      MODEL_STATE_V3, MODEL_STATE_V4, MODEL_STATE_V5, PENDING_PREDICTION_V1, LABELED_EVENT_V1,
      LABELED_EVENT_V2, LABELED_EVENT_V3, TRAINING_METRIC_V1, TRAINING_METRIC_V2,
      TRAINING_METRIC_V3, TRAINING_METRIC_V4, PREDICTION_V1, PREDICTION_V2, DRIFT_V1);

  /** Parsed once: readers are made per request (the HTTP API), parsing is not cheap. */
  private static final Map<String, Schema> LOADED = new ConcurrentHashMap<>();

  private ReleasedSchemas() {}

  public static Schema load(final String name) {
    return LOADED.computeIfAbsent(name, ReleasedSchemas::parse);
  }

  private static Schema parse(final String name) {
    try (InputStream in = ReleasedSchemas.class.getResourceAsStream("/schemas/released/" + name)) {
      if (in == null) {
        throw new IllegalStateException("released schema " + name + " is not in the jar");
      }
      return new Schema.Parser().parse(in);
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final BinaryMessageDecoder<TrainingMetric> METRICS = TrainingMetric.createDecoder(
      store(TrainingMetric.getClassSchema(), TRAINING_METRIC_V1, TRAINING_METRIC_V2,
          TRAINING_METRIC_V3, TRAINING_METRIC_V4));
  private static final BinaryMessageDecoder<LabeledEvent> EVENTS = LabeledEvent.createDecoder(
      store(LabeledEvent.getClassSchema(), LABELED_EVENT_V1, LABELED_EVENT_V2,
          LABELED_EVENT_V3));
  private static final BinaryMessageDecoder<Prediction> PREDICTIONS = Prediction.createDecoder(
      store(Prediction.getClassSchema(), PREDICTION_V1, PREDICTION_V2));
  private static final BinaryMessageDecoder<Drift> DRIFTS = Drift.createDecoder(
      store(Drift.getClassSchema(), DRIFT_V1));
  private static final BinaryMessageDecoder<ModelState> MODELS = ModelState.createDecoder(
      store(ModelState.getClassSchema(), MODEL_STATE_V1, MODEL_STATE_V2, MODEL_STATE_V3,
          MODEL_STATE_V4, MODEL_STATE_V5));

  /**
   * Reads training metrics of every version, as a consumer of the metrics topic should: one
   * neuron's metrics are written in version 2, a network's in version 3, a model of K classes'
   * in version 4, a race's variant's in version 5. Thread-safe.
   */
  public static BinaryMessageDecoder<TrainingMetric> trainingMetrics() {
    return METRICS;
  }

  /**
   * Reads predictions of every version: a model of one output's are written in version 1, a
   * model of K classes' in version 2, a race's champion's in version 3. Thread-safe.
   */
  public static BinaryMessageDecoder<Prediction> predictions() {
    return PREDICTIONS;
  }

  /**
   * Reads drifts of every version: one model per key's are written in version 1, a race's
   * variant's in version 2. Thread-safe.
   */
  public static BinaryMessageDecoder<Drift> drifts() {
    return DRIFTS;
  }

  /**
   * Reads stored models of every version (one neuron is stored in version 2, a network in version
   * 3). Thread-safe.
   */
  public static BinaryMessageDecoder<ModelState> modelStates() {
    return MODELS;
  }

  /**
   * Reads events of every version, as a consumer of the events topic should: {@code feed} writes
   * an event without named features in version 2, one with them in version 3, one with a label by
   * class name in version 4. Thread-safe.
   */
  public static BinaryMessageDecoder<LabeledEvent> labeledEvents() {
    return EVENTS;
  }

  /** A store of {@code current} and the released versions named. */
  public static SchemaStore.Cache store(final Schema current, final String... released) {
    final SchemaStore.Cache store = new SchemaStore.Cache();
    store.addSchema(current);
    for (final String name : released) {
      store.addSchema(load(name));
    }
    return store;
  }
}
