package io.gradstream.stream;

import io.gradstream.events.EventDecoder;
import io.gradstream.events.ModelControl;
import io.gradstream.events.Outcome;
import io.gradstream.learn.Model;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.race.KeyRace;
import io.gradstream.learn.race.RaceSpec;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.step.EventRules;
import io.gradstream.step.EventStep;
import io.gradstream.step.PendingPrediction;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * One event at a time, a race of variants per key: every variant's {@link EventStep} takes the
 * event as a service with that variant's settings alone would (its own model, its own pending
 * predictions), each variant that stepped publishes its metric naming it, and the key's race
 * weighs their losses and names the champion ({@link KeyRace}); a change of champion is a record
 * of its own, as is each variant's drift. A prediction is the champion's, naming it. An event
 * every variant refuses is one dead letter; one that some variants refused while others stepped
 * is one dead letter naming them.
 */
final class RaceProcessor extends EventProcessor {
  private final RaceSpec race;
  private final EventStep[] steps;
  private final StepResult[] results;
  private final Outcome[] outcomes;
  private final VariantPending[] pendings;
  private final MetricEncoder[] metricEncoders;
  private final PredictionEncoder predictionEncoder;
  private final ChampionEncoder championEncoder;
  /** Whether the models have K classes, whose served loss is not told by a served y. */
  private final boolean classes;

  /** @param rules each variant's event rules, in the race's order */
  RaceProcessor(final RaceSpec race, final List<EventRules> rules,
      final EventDecoder decoder, final TrainingMeters meters, final MetricsDetail detail,
      final OutputFraming framing) {
    super(decoder, meters, rules.get(0).labels(), framing);
    this.race = race;
    final int variants = race.variants();
    this.steps = new EventStep[variants];
    this.results = new StepResult[variants];
    this.outcomes = new Outcome[variants];
    this.pendings = new VariantPending[variants];
    this.metricEncoders = new MetricEncoder[variants];
    for (int v = 0; v < variants; v++) {
      steps[v] = new EventStep(race.specs().get(v), rules.get(v));
      results[v] = new StepResult();
      metricEncoders[v] = new MetricEncoder(detail, race.specs().get(v).classes(),
          framing.metrics());
    }
    this.predictionEncoder = new PredictionEncoder(race.specs().get(0).classes(),
        framing.predictions());
    this.championEncoder = new ChampionEncoder(race.names(), framing.champions());
    this.classes = race.specs().get(0).classes() != null;
  }

  @Override
  public void init(final ProcessorContext<byte[], byte[]> context) {
    super.init(context);
    for (int v = 0; v < pendings.length; v++) {
      pendings[v] = new VariantPending(pending, v);
    }
  }

  @Override
  protected void process(final Record<byte[], byte[]> record, final byte[] rawKey,
      final String key, final ModelStore.Live live) {
    final RacedModels raced = live != null ? live.race : null;
    final long time = event.time(record.timestamp());
    int trained = 0;
    for (int v = 0; v < steps.length; v++) {
      outcomes[v] = steps[v].apply(rawKey, key, raced != null ? raced.model(v) : null, event,
          time, pendings[v], results[v]);
      if (outcomes[v] == Outcome.TRAINED) {
        trained++;
      }
    }
    final int serving = raced != null ? raced.race().serving() : 0;
    advance(outcomes[serving], steps[serving].joined() != null, time);
    if (trained > 0) {
      trained(record, rawKey, key, live, time);
      if (trained < steps.length) {
        refusedBySome(record, raced);
      }
      return;
    }
    final Outcome outcome = outcomes[serving];
    switch (outcome) {
      case CONTROLLED -> controlled(rawKey, key, live);
      case PREDICTED -> {
        final RecordMetadata source = context.recordMetadata().orElseThrow();
        final Model model = raced != null ? raced.model(serving) : null;
        context.forward(record.withValue(predictionEncoder.encode(rawKey, event.id,
            results[serving], model != null ? model.count() : 0L, time, source.topic(),
            source.partition(), source.offset(), championEncoder.name(serving))),
            TrainingTopology.PREDICTIONS_SINK);
        meters.predicted();
      }
      default -> {
        if (outcome == Outcome.LABEL_TOO_LATE) {
          meters.labelTooLate();
        }
        deadLetter(record, outcome, steps[serving].detail(outcome, event,
            raced != null ? raced.model(serving) : null), null);
      }
    }
  }

  /** Every variant that stepped goes on with its model and publishes its metric; then the race. */
  private void trained(final Record<byte[], byte[]> record, final byte[] rawKey,
      final String key, final ModelStore.Live known, final long time) {
    final ModelStore.Live live = known != null ? known
        : models.add(rawKey, key, RacedModels.fresh(steps.length));
    final RacedModels raced = live.race;
    final KeyRace keyRace = raced.race();
    final RecordMetadata source = context.recordMetadata().orElseThrow();
    for (int v = 0; v < steps.length; v++) {
      if (outcomes[v] != Outcome.TRAINED) {
        continue;
      }
      if (steps[v].created() != null) {
        raced.set(v, steps[v].created());
      } else if (steps[v].replacement() != null) {
        raced.set(v, steps[v].replacement());
      }
      keyRace.stepped(v, results[v].loss(), race.rule());
      context.forward(record.withValue(metricEncoders[v].encode(rawKey, source.topic(),
          source.partition(), source.offset(), results[v], raced.model(v), event.id,
          steps[v].joined(), steps[v].labelDelay(), championEncoder.name(v))),
          TrainingTopology.METRICS_SINK);
      if (steps[v].drifted()) {
        // each variant is judged on its own: its drift, and its reset, are its own
        drifted(record, rawKey, raced.model(v), steps[v].driftReset(), source, time,
            championEncoder.name(v));
      }
    }
    models.trained(live);
    if (keyRace.decide(race.rule())) {
      context.forward(record.withValue(championEncoder.encode(rawKey, keyRace, time,
          source.topic(), source.partition(), source.offset())), TrainingTopology.CHAMPIONS_SINK);
      meters.championChanged(race.names().get(keyRace.champion()));
    }
    // the meters follow the champion, as the predictions do
    int shown = keyRace.serving();
    if (outcomes[shown] != Outcome.TRAINED) {
      shown = 0;
      while (outcomes[shown] != Outcome.TRAINED) {
        shown++;
      }
    }
    final Model model = raced.model(shown);
    final PendingPrediction joined = steps[shown].joined();
    meters.raced(key, keyRace, raced);
    meters.trained(key, results[shown], model, steps[shown].x(event), event.d,
        System.currentTimeMillis() - time);
    if (model.evaluation() != null) {
      meters.judged(results[shown], event.d, joined != null ? joined.y : Double.NaN);
    }
    if (joined != null) {
      final double served = event.d - joined.y;
      meters.joined(steps[shown].labelDelay(), classes ? Double.NaN : 0.5 * served * served);
    }
  }

  /**
   * Some variants stepped and others refused (a step that would overflow at a large rate): one
   * dead letter with the first refusal's reason, naming every variant that refused.
   */
  private void refusedBySome(final Record<byte[], byte[]> record, final RacedModels before) {
    int first = -1;
    final StringBuilder refused = new StringBuilder();
    for (int v = 0; v < steps.length; v++) {
      if (outcomes[v] != Outcome.TRAINED) {
        if (first < 0) {
          first = v;
        }
        refused.append(refused.length() == 0 ? "" : "; ").append(race.names().get(v));
      }
    }
    deadLetter(record, outcomes[first], "race variants refused it (" + refused + "), the others "
        + "stepped: " + steps[first].detail(outcomes[first], event,
            before != null ? before.model(first) : null), null);
  }

  /** An operator's action: on every variant alike, and a reset or set starts the race again. */
  private void controlled(final byte[] rawKey, final String key, final ModelStore.Live live) {
    if (steps[0].control() == ModelControl.DELETE) {
      if (live != null) {
        models.delete(live);
      }
    } else if (steps[0].created() != null) {
      final RacedModels fresh = RacedModels.fresh(steps.length);
      for (int v = 0; v < steps.length; v++) {
        fresh.set(v, steps[v].created());
      }
      if (live != null) {
        models.replace(live, fresh);
      } else {
        models.trained(models.add(rawKey, key, fresh));
      }
    }
    meters.controlled(steps[0].control().code());
  }
}
