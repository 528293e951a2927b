package io.gradstream.stream;

import io.gradstream.registry.RegistryOutageException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies. Bad records never kill one (they are dead-lettered), so
 * a dying thread means trouble with Kafka or the machine, which is often passing: the thread is
 * replaced, and resumes from its last commit (exactly-once makes that safe). A thread that keeps
 * dying is not passing trouble: after {@code maxFailures} within {@code window} the client shuts
 * down, so that the process exits and its orchestrator restarts it, and someone is alerted.
 */
public final class ThreadFailurePolicy implements StreamsUncaughtExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ThreadFailurePolicy.class);

  private final int maxFailures;
  private final long windowNanos;
  private final LongSupplier nanoClock;
  private final Deque<Long> recent = new ArrayDeque<>();
  private volatile String refusal;

  public ThreadFailurePolicy(final int maxFailures, final Duration window,
      final LongSupplier nanoClock) {
    this.maxFailures = maxFailures;
    this.windowNanos = window.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Three replacements in ten minutes, then shut down. */
  public static ThreadFailurePolicy standard() {
    return new ThreadFailurePolicy(3, Duration.ofMinutes(10), System::nanoTime);
  }

  /**
   * Why the client was shut down on purpose: a stored model met settings it was not trained with
   * (no passing trouble, and no thread would fare better); null otherwise.
   */
  public String refusal() {
    return refusal;
  }

  @Override
  public synchronized StreamThreadExceptionResponse handle(final Throwable exception) {
    final SettingsMismatchException mismatch = SettingsMismatchException.in(exception);
    if (mismatch != null) {
      refusal = mismatch.getMessage();
      LOG.error("stopping: {}", refusal);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    final RegistryOutageException outage = RegistryOutageException.in(exception);
    if (outage != null) {
      // the registry's absence is no fault of the thread's, and every replacement waits again
      LOG.warn("a stream thread gave up waiting for the schema registry; replacing it (it "
          + "resumes from its last commit): {}", outage.getMessage());
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
    final long now = nanoClock.getAsLong();
    while (!recent.isEmpty() && now - recent.peekFirst() > windowNanos) {
      recent.removeFirst();
    }
    recent.addLast(now);
    if (recent.size() > maxFailures) {
      LOG.error("a stream thread died for the {}th time within {} s; shutting down", recent.size(),
          windowNanos / 1_000_000_000L, exception);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    LOG.error("a stream thread died; replacing it (it resumes from its last commit)", exception);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }
}
