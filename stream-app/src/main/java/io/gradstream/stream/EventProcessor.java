package io.gradstream.stream;

import io.gradstream.events.EventDecoder;
import io.gradstream.events.EventFields;
import io.gradstream.events.ModelControl;
import io.gradstream.events.Outcome;
import io.gradstream.events.UndecodableEventException;
import io.gradstream.learn.Model;
import io.gradstream.learn.evaluate.ModelEvaluation;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.step.LabelTtl;
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
 * What every processor of events shares: the stores of its task, the record's key and event read
 * (an operator's control from its header, else the value decoded), the dead letters, and the
 * cleanup of pending predictions by the task's stream time. Kafka Streams gives each task its own
 * instance, so the reused buffers here are never shared between threads.
 */
abstract class EventProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  /** How often the cleanup of pending predictions runs, and how many it looks at each time. */
  private static final Duration SWEEP_EVERY = Duration.ofSeconds(10);
  private static final int SWEEP_AT_MOST = 100_000;

  protected final EventDecoder decoder;
  protected final TrainingMeters meters;
  protected final EventFields event = new EventFields();
  private final LabelTtl labelTtl;
  private final DriftEncoder driftEncoder;
  private final CharsetDecoder keyDecoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);

  protected ProcessorContext<byte[], byte[]> context;
  protected ModelStore models;
  protected PendingStore pending;
  private LongSupplier pendingCount;
  /**
   * The largest event time since this task started among its predictions and the labels that
   * found their prediction.
   */
  private long streamTime = Long.MIN_VALUE;

  EventProcessor(final EventDecoder decoder, final TrainingMeters meters,
      final LabelTtl labelTtl, final OutputFraming framing) {
    this.decoder = decoder;
    this.driftEncoder = new DriftEncoder(framing.drifts());
    this.meters = meters;
    this.labelTtl = labelTtl;
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

  /** Reads the record's key and event, loads its key's model or race, and hands them on. */
  @Override
  public final void process(final Record<byte[], byte[]> record) {
    final byte[] rawKey = record.key();
    final ModelStore.Live known = rawKey == null ? null : models.live(rawKey);
    final String key = read(record, known);
    if (key != null) {
      process(record, rawKey, key, known != null ? known : models.load(rawKey, key));
    }
  }

  /**
   * One event, in {@link #event}, of the model key {@code key} ({@code rawKey} as the record holds
   * it), whose model or race is {@code live} (null when the key has none yet).
   */
  protected abstract void process(Record<byte[], byte[]> record, byte[] rawKey, String key,
      ModelStore.Live live);

  /**
   * The record's model key as text ({@code known}'s, when its key is live) with its event in
   * {@link #event}; null when the record went to the dead letters instead.
   */
  private String read(final Record<byte[], byte[]> record, final ModelStore.Live known) {
    // a live model's key was checked when it was first seen
    final String key = known != null ? known.name : modelKey(record.key());
    if (key == null) {
      deadLetter(record, Outcome.MISSING_KEY,
          "the record key (model id) is null, empty or not UTF-8", null);
      return null;
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
          return null;
        }
      }
    } else {
      try {
        decoder.decode(record.value(), event);
      } catch (final UndecodableEventException e) {
        deadLetter(record, e.reason(), e.getMessage(),
            e.getCause() != null ? e.getCause() : e);
        return null;
      }
    }
    return key;
  }

  /**
   * The cleanup's clock: predictions, and labels that found theirs (a stray label's time, perhaps
   * far off, must not age every pending prediction).
   */
  protected final void advance(final Outcome outcome, final boolean joined, final long time) {
    if (outcome == Outcome.PREDICTED || outcome == Outcome.LABEL_TOO_LATE || joined) {
      streamTime = Math.max(streamTime, time);
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

  protected final void deadLetter(final Record<byte[], byte[]> record, final Outcome reason,
      final String detail, final Throwable failure) {
    final RecordMetadata source = context.recordMetadata().orElseThrow();
    context.forward(record.withHeaders(DeadLetterHeaders.of(record.headers(), reason.code(), detail,
        source.topic(), source.partition(), source.offset(), failure)), TrainingTopology.DLQ_SINK);
    meters.refused(reason, detail);
  }

  /**
   * {@code model}'s detector signalled a drift at this record: its {@code Drift} record and meter.
   *
   * @param reset whether the model's evaluation started a new generation with it
   * @param variant the race's variant the model is, as UTF-8; null without a race
   */
  protected final void drifted(final Record<byte[], byte[]> record, final byte[] rawKey,
      final Model model, final boolean reset, final RecordMetadata source, final long time,
      final byte[] variant) {
    final ModelEvaluation evaluation = model.evaluation();
    context.forward(record.withValue(driftEncoder.encode(rawKey, model.count(),
        evaluation.detector(), reset, evaluation.generation(), source.topic(),
        source.partition(), source.offset(), time, variant)), TrainingTopology.DRIFTS_SINK);
    meters.drifted(evaluation.detector().id(), reset);
  }
}
