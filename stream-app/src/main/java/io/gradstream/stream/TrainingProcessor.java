package io.gradstream.stream;

import io.gradstream.events.EventDecoder;
import io.gradstream.events.EventFields;
import io.gradstream.events.ModelControl;
import io.gradstream.events.Outcome;
import io.gradstream.events.UndecodableEventException;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.evaluate.ModelEvaluation;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.step.EventRules;
import io.gradstream.step.EventStep;
import io.gradstream.step.LabelTtl;
import io.gradstream.step.PendingPrediction;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One event at a time, one model per key: decode, check, load the model, then by the event's kind
 * train, predict, or join a label with its pending prediction ({@link EventStep}); store, and
 * publish the step's metric or the prediction. Anything that cannot be used goes to the
 * dead-letter topic with its reason and changes nothing. Kafka Streams gives each task its own
 * instance, so the reused buffers here are never shared between threads.
 */
final class TrainingProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  /** How often the cleanup of pending predictions runs, and how many it looks at each time. */
  private static final Duration SWEEP_EVERY = Duration.ofSeconds(10);
  private static final int SWEEP_AT_MOST = 100_000;

  private final EventStep eventStep;
  private final LabelTtl labelTtl;
  private final EventDecoder decoder;
  private final TrainingMeters meters;
  private final EventFields event = new EventFields();
  private final StepResult step = new StepResult();
  private final MetricEncoder metricEncoder;
  private final PredictionEncoder predictionEncoder;
  /** Whether the models have K classes, whose served loss is not told by a served y. */
  private final boolean classes;
  private final DriftEncoder driftEncoder = new DriftEncoder();
  private final CharsetDecoder keyDecoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);

  private ProcessorContext<byte[], byte[]> context;
  private ModelStore models;
  private PendingStore pending;
  private LongSupplier pendingCount;
  /**
   * The largest event time since this task started among its predictions and the labels that
   * found their prediction.
   */
  private long streamTime = Long.MIN_VALUE;

  TrainingProcessor(final ModelSpec spec, final LabelTtl labelTtl, final EventDecoder decoder,
      final TrainingMeters meters) {
    this(spec, EventRules.of(labelTtl), decoder, meters, MetricsDetail.SUMMARY);
  }

  TrainingProcessor(final ModelSpec spec, final EventRules rules, final EventDecoder decoder,
      final TrainingMeters meters, final MetricsDetail detail) {
    this.metricEncoder = new MetricEncoder(detail, spec.classes());
    this.predictionEncoder = new PredictionEncoder(spec.classes());
    this.classes = spec.classes() != null;
    this.eventStep = new EventStep(spec, rules);
    this.labelTtl = rules.labels();
    this.decoder = decoder;
    this.meters = meters;
  }

  @Override
  public void init(final ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.models = context.getStateStore(TrainingTopology.STORE);
    models.windowsIn(context.getStateStore(TrainingTopology.WINDOWS));
    final KeyValueStore<Bytes, byte[]> store = context.getStateStore(TrainingTopology.PENDING);
    this.pending = new PendingStore(store);
    this.pendingCount = pending::approximateEntries;
    meters.addPending(pendingCount);
    // the cleanup never decides a label (see LabelTtl), so it may run on the wall clock
    context.schedule(SWEEP_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> {
      if (streamTime != Long.MIN_VALUE) {
        meters.expired(pending.sweep(labelTtl.expiredBefore(streamTime), SWEEP_AT_MOST));
      }
    });
  }

  @Override
  public void close() {
    meters.removePending(pendingCount);
  }

  @Override
  public void process(final Record<byte[], byte[]> record) {
    final byte[] rawKey = record.key();
    final ModelStore.Live known = rawKey == null ? null : models.live(rawKey);
    // a live model's key was checked when it was first seen
    final String key = known != null ? known.name : modelKey(rawKey);
    if (key == null) {
      deadLetter(record, Outcome.MISSING_KEY,
          "the record key (model id) is null, empty or not UTF-8", null);
      return;
    }
    final Header control = record.headers().lastHeader(ModelControl.HEADER);
    if (control != null) {
      // an operator's action: the header says it all, whatever the value holds
      event.clear();
      event.control = control.value() == null ? ""
          : new String(control.value(), StandardCharsets.UTF_8);
      if (ModelControl.SET.code().equals(event.control)) {
        try {
          final ModelSerde.Stored stored = ModelSerde.reader().read(record.value());
          event.controlModel = stored.model();
          event.controlSettings = stored.settings();
        } catch (final RuntimeException e) {
          deadLetter(record, Outcome.MODEL_MISFIT, "the value of a set control record is not a "
              + "model as gradstream import writes it: " + e.getMessage(), e);
          return;
        }
      }
    } else {
      try {
        decoder.decode(record.value(), event);
      } catch (final UndecodableEventException e) {
        deadLetter(record, Outcome.UNDECODABLE, e.getMessage(),
            e.getCause() != null ? e.getCause() : e);
        return;
      }
    }
    ModelStore.Live live = known != null ? known : models.load(rawKey, key);
    final long time = event.time(record.timestamp());
    final Outcome outcome = eventStep.apply(rawKey, key, live != null ? live.model : null, event,
        time, pending, step);
    // the cleanup's clock: predictions, and labels that found theirs (a stray label's time,
    // perhaps far off, must not age every pending prediction)
    if (outcome == Outcome.PREDICTED || outcome == Outcome.LABEL_TOO_LATE
        || eventStep.joined() != null) {
      streamTime = Math.max(streamTime, time);
    }
    switch (outcome) {
      case TRAINED -> {
        if (live == null) {
          live = models.add(rawKey, key, eventStep.created());
        } else if (eventStep.replacement() != null) {
          live = models.replace(live, eventStep.replacement(), true);
        }
        trained(record, rawKey, key, live, time);
      }
      case CONTROLLED -> {
        if (eventStep.control() == ModelControl.DELETE) {
          if (live != null) {
            models.delete(live);
          }
        } else if (eventStep.created() != null) {
          if (live != null) {
            models.replace(live, eventStep.created(), false);
          } else {
            models.trained(models.add(rawKey, key, eventStep.created()));
          }
        }
        meters.controlled(eventStep.control().code());
      }
      case PREDICTED -> {
        final RecordMetadata source = context.recordMetadata().orElseThrow();
        context.forward(record.withValue(predictionEncoder.encode(rawKey, event.id, step,
            live != null ? live.model.count() : 0L, time, source.topic(), source.partition(),
            source.offset())), TrainingTopology.PREDICTIONS_SINK);
        meters.predicted();
      }
      default -> {
        if (outcome == Outcome.LABEL_TOO_LATE) {
          meters.labelTooLate();
        }
        deadLetter(record, outcome,
            eventStep.detail(outcome, event, live != null ? live.model : null), null);
      }
    }
  }

  private void trained(final Record<byte[], byte[]> record, final byte[] rawKey, final String key,
      final ModelStore.Live live, final long time) {
    models.trained(live);
    final PendingPrediction joined = eventStep.joined();
    final RecordMetadata source = context.recordMetadata().orElseThrow();
    context.forward(record.withValue(metricEncoder.encode(rawKey, source.topic(),
        source.partition(), source.offset(), step, live.model, event.id, joined,
        eventStep.labelDelay())), TrainingTopology.METRICS_SINK);
    meters.trained(key, step, live.model, eventStep.x(event), event.d,
        System.currentTimeMillis() - time);
    if (live.model.evaluation() != null) {
      meters.judged(step, event.d, joined != null ? joined.y : Double.NaN);
    }
    if (eventStep.drifted()) {
      final ModelEvaluation evaluation = live.model.evaluation();
      final boolean reset = eventStep.driftReset();
      context.forward(record.withValue(driftEncoder.encode(rawKey, live.model.count(),
          evaluation.detector(), reset, evaluation.generation(), source.topic(),
          source.partition(), source.offset(), time)), TrainingTopology.DRIFTS_SINK);
      meters.drifted(evaluation.detector().id(), reset);
    }
    if (joined != null) {
      final double served = event.d - joined.y;
      meters.joined(eventStep.labelDelay(), classes ? Double.NaN : 0.5 * served * served);
    }
  }

  private String modelKey(final byte[] key) {
    if (key == null || key.length == 0) {
      return null;
    }
    try {
      return keyDecoder.decode(ByteBuffer.wrap(key)).toString();
    } catch (final CharacterCodingException e) {
      return null;
    }
  }

  private void deadLetter(final Record<byte[], byte[]> record, final Outcome reason,
      final String detail, final Throwable failure) {
    final RecordMetadata source = context.recordMetadata().orElseThrow();
    context.forward(record.withHeaders(DeadLetterHeaders.of(record.headers(), reason.code(), detail,
        source.topic(), source.partition(), source.offset(), failure)), TrainingTopology.DLQ_SINK);
    meters.refused(reason, detail);
  }
}
