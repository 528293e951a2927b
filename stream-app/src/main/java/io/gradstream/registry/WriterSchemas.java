package io.gradstream.registry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer schemas of registry-framed records, fetched once per id and kept: a registry's ids
 * never change their schema. Shared by the stream threads. While the registry cannot be reached a
 * lookup waits and asks again, up to the settings' outage retry, then gives the record up to its
 * thread ({@link RegistryOutageException}): an event is never dropped because the registry was
 * away. An id the registry does not know is asked about again after a minute (a registry restored
 * from a backup may know it then).
 */
public final class WriterSchemas {
  /** What the registry gives for one id. */
  @FunctionalInterface
  public interface Source {
    /** The id's schema as text; null when the registry knows no such id. */
    RegistryClient.WriterSchemaText schema(int id) throws RegistryUnavailableException;
  }

  /**
   * One id's answer: its Avro schema, or why there is none.
   *
   * @param unknown whether the registry knows no such id (else {@code problem} is about its
   *     schema: not Avro, or not a valid one)
   */
  public record Answer(Schema schema, boolean unknown, String problem, long asked) {}

  private static final Logger LOG = LoggerFactory.getLogger(WriterSchemas.class);
  private static final long UNKNOWN_KEPT_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final long FIRST_PAUSE_MILLIS = 100;
  private static final long LONGEST_PAUSE_MILLIS = 5_000;

  private final Source source;
  private final String where;
  private final long outageNanos;
  private final LongSupplier nanoClock;
  private final Pause pause;
  private final ConcurrentHashMap<Integer, Answer> answers = new ConcurrentHashMap<>();

  /** How a waiting lookup sleeps: a test's clock moves instead. */
  @FunctionalInterface
  interface Pause {
    void sleep(long millis) throws InterruptedException;
  }

  public WriterSchemas(final RegistryClient client) {
    this(client::schema, client.settings().toString(), client.settings().outageRetry());
  }

  /** @param where the source's name in messages (the registry's address) */
  public WriterSchemas(final Source source, final String where, final Duration outageRetry) {
    this(source, where, outageRetry, System::nanoTime, Thread::sleep);
  }

  WriterSchemas(final Source source, final String where, final Duration outageRetry,
      final LongSupplier nanoClock, final Pause pause) {
    this.source = source;
    this.where = where;
    this.outageNanos = outageRetry.toNanos();
    this.nanoClock = nanoClock;
    this.pause = pause;
  }

  /**
   * The schema registered under {@code id}.
   *
   * @throws RegistryOutageException when the registry could not be reached for the whole outage
   *     retry
   */
  public Answer get(final int id) {
    final Answer known = answers.get(id);
    if (known != null && (!known.unknown() || nanoClock.getAsLong() - known.asked()
        < UNKNOWN_KEPT_NANOS)) {
      return known;
    }
    final Answer answer = fetch(id);
    answers.put(id, answer);
    return answer;
  }

  private Answer fetch(final int id) {
    final long start = nanoClock.getAsLong();
    long pauseMillis = FIRST_PAUSE_MILLIS;
    while (true) {
      try {
        return parse(id, source.schema(id));
      } catch (final RegistryUnavailableException e) {
        final long waited = nanoClock.getAsLong() - start;
        if (pauseMillis == FIRST_PAUSE_MILLIS) {
          // once per wait, off the hot path: the stream stands still until the registry answers
          LOG.warn("waiting for the schema registry (up to {} s): {}",
              TimeUnit.NANOSECONDS.toSeconds(outageNanos), e.getMessage());
        }
        if (waited >= outageNanos) {
          throw new RegistryOutageException("schema " + id + " could not be fetched for "
              + TimeUnit.NANOSECONDS.toSeconds(waited) + " s: " + e.getMessage(), e);
        }
        try {
          pause.sleep(Math.min(pauseMillis, TimeUnit.NANOSECONDS.toMillis(outageNanos - waited)
              + 1));
        } catch (final InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new RegistryOutageException("interrupted while waiting for the schema registry",
              interrupted);
        }
        pauseMillis = Math.min(2 * pauseMillis, LONGEST_PAUSE_MILLIS);
      }
    }
  }

  private Answer parse(final int id, final RegistryClient.WriterSchemaText text) {
    final long now = nanoClock.getAsLong();
    if (text == null) {
      return new Answer(null, true, "schema id " + id + " is not in the schema registry at "
          + where, now);
    }
    if (!"AVRO".equalsIgnoreCase(text.type())) {
      return new Answer(null, false, "schema " + id + " is " + text.type()
          + ", not Avro", now);
    }
    try {
      return new Answer(new Schema.Parser().parse(text.text()), false,
          null, now);
    } catch (final RuntimeException e) { // SchemaParseException, AvroTypeException for defaults
      return new Answer(null, false, "schema " + id + " is not a valid Avro schema: "
          + e.getMessage(), now);
    }
  }
}
