package io.gradstream.stream;

import io.gradstream.events.EventDecoder;
import io.gradstream.events.EventFields;
import io.gradstream.events.UndecodableEventException;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.Neuron;
import io.gradstream.learn.Outcome;
import io.gradstream.learn.StepResult;
import io.gradstream.metrics.TrainingMeters;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Trains one model per key, one event at a time: decode, check, load the model, step, store, then
 * publish the step's metric; anything that cannot be trained goes to the dead-letter topic with its
 * reason and changes no model. Kafka Streams gives each task its own instance, so the reused
 * buffers here are never shared between threads.
 */
final class TrainingProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  private final Neuron neuron;
  private final EventDecoder decoder;
  private final TrainingMeters meters;
  private final EventFields event = new EventFields();
  private final StepResult step = new StepResult();
  private final MetricEncoder metricEncoder = new MetricEncoder();
  private final CharsetDecoder keyDecoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);

  private ProcessorContext<byte[], byte[]> context;
  private ModelStore models;

  TrainingProcessor(final ModelSpec spec, final EventDecoder decoder, final TrainingMeters meters) {
    this.neuron = new Neuron(spec);
    this.decoder = decoder;
    this.meters = meters;
  }

  @Override
  public void init(final ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.models = context.getStateStore(TrainingTopology.STORE);
  }

  @Override
  public void process(final Record<byte[], byte[]> record) {
    final byte[] rawKey = record.key();
    final ModelStore.Live known = rawKey == null ? null : models.live(rawKey);
    // a live model's key was checked when it was first seen
    final String key = known != null ? known.name : modelKey(rawKey);
    if (key == null) {
      deadLetter(record, Outcome.MISSING_KEY, "the record key (model id) is null, empty or not UTF-8",
          null);
      return;
    }
    try {
      decoder.decode(record.value(), event);
    } catch (final UndecodableEventException e) {
      deadLetter(record, Outcome.UNDECODABLE, e.getMessage(), e.getCause() != null ? e.getCause() : e);
      return;
    }
    if (!event.hasLabel) {
      deadLetter(record, Outcome.MISSING_LABEL, "the event has no label d", null);
      return;
    }
    ModelStore.Live live = known != null ? known : models.load(rawKey, key);
    final Model model = live != null ? live.model : neuron.newModel();
    final Outcome outcome = neuron.learn(model, event.x, event.d, step);
    if (outcome != Outcome.TRAINED) {
      deadLetter(record, outcome, outcome.detail(event.x.length, model.features()), null);
      return;
    }
    if (live == null) {
      live = models.add(rawKey, key, model);
    }
    models.trained(live);
    final RecordMetadata source = context.recordMetadata().orElseThrow();
    context.forward(record.withValue(metricEncoder.encode(rawKey, source.topic(),
        source.partition(), source.offset(), step, model)), TrainingTopology.METRICS_SINK);
    final long eventTime = event.eventTime != EventFields.NO_TIME ? event.eventTime
        : record.timestamp();
    meters.trained(key, step, model, System.currentTimeMillis() - eventTime);
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
    meters.refused(reason);
  }
}
