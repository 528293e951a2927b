package io.gradstream.stream;

import io.gradstream.events.EventDecoder;
import io.gradstream.events.ModelControl;
import io.gradstream.events.Outcome;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.step.EventRules;
import io.gradstream.step.EventStep;
import io.gradstream.step.LabelTtl;
import io.gradstream.step.PendingPrediction;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * One event at a time, one model per key: decode, check, load the model, then by the event's kind
 * train, predict, or join a label with its pending prediction ({@link EventStep}); store, and
 * publish the step's metric or the prediction. Anything that cannot be used goes to the
 * dead-letter topic with its reason and changes nothing.
 */
final class TrainingProcessor extends EventProcessor {
  private final EventStep eventStep;
  private final StepResult step = new StepResult();
  private final MetricEncoder metricEncoder;
  private final PredictionEncoder predictionEncoder;
  /** Whether the models have K classes, whose served loss is not told by a served y. */
  private final boolean classes;

  TrainingProcessor(final ModelSpec spec, final LabelTtl labelTtl, final EventDecoder decoder,
      final TrainingMeters meters) {
    this(spec, EventRules.of(labelTtl), decoder, meters, MetricsDetail.SUMMARY,
        OutputFraming.SINGLE_OBJECT);
  }

  TrainingProcessor(final ModelSpec spec, final EventRules rules, final EventDecoder decoder,
      final TrainingMeters meters, final MetricsDetail detail, final OutputFraming framing) {
    super(decoder, meters, rules.labels(), framing);
    this.metricEncoder = new MetricEncoder(detail, spec.classes(), framing.metrics());
    this.predictionEncoder = new PredictionEncoder(spec.classes(), framing.predictions());
    this.classes = spec.classes() != null;
    this.eventStep = new EventStep(spec, rules);
  }

  @Override
  protected void process(final Record<byte[], byte[]> record, final byte[] rawKey,
      final String key, final ModelStore.Live loaded) {
    ModelStore.Live live = loaded;
    final long time = event.time(record.timestamp());
    final Outcome outcome = eventStep.apply(rawKey, key, live != null ? live.model : null, event,
        time, pending, step);
    advance(outcome, eventStep.joined() != null, time);
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
            source.offset(), null)), TrainingTopology.PREDICTIONS_SINK);
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
        eventStep.labelDelay(), null)), TrainingTopology.METRICS_SINK);
    meters.trained(key, step, live.model, eventStep.x(event), event.d,
        System.currentTimeMillis() - time);
    if (live.model.evaluation() != null) {
      meters.judged(step, event.d, joined != null ? joined.y : Double.NaN);
    }
    if (eventStep.drifted()) {
      drifted(record, rawKey, live.model, eventStep.driftReset(), source, time, null);
    }
    if (joined != null) {
      final double served = event.d - joined.y;
      meters.joined(eventStep.labelDelay(), classes ? Double.NaN : 0.5 * served * served);
    }
  }
}
