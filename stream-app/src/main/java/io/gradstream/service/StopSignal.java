package io.gradstream.service;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The one place that turns SIGTERM / Ctrl-C into an orderly stop. The signal itself only asks the
 * command to stop; the command closes everything (a final commit, the broker, temporary
 * directories) and returns its exit code, so a service stopped in order exits 0, which is what
 * Kubernetes records as a completed container, instead of the JVM's 143 (128 + SIGTERM). A command
 * that has not closed within {@link #GRACE}, or a second signal, ends the JVM at once with 128 +
 * the signal's number. A JVM shutdown that comes another way (System.exit elsewhere, a signal the
 * JVM's handler keeps) still asks the command to stop and waits for it, through a shutdown hook.
 */
public final class StopSignal implements AutoCloseable {
  /** Kubernetes' default termination grace period is 30 s; stop well inside it. */
  public static final Duration GRACE = Duration.ofSeconds(25);
  private static final List<String> SIGNALS = List.of("TERM", "INT");

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;
  private volatile Signal received;
  /** The handlers the JVM had (its own starts the shutdown hooks), put back by close. */
  private final Map<String, SignalHandler> previous = new HashMap<>();

  public StopSignal() {
    hook = new Thread(() -> {
      stopRequested.countDown();
      try {
        closed.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "gradstream-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    for (final String name : SIGNALS) {
      try {
        previous.put(name, Signal.handle(new Signal(name), this::onSignal));
      } catch (final IllegalArgumentException notHandled) {
        // the JVM keeps this signal (-Xrs, say): the shutdown hook stops the command instead
      }
    }
  }

  private void onSignal(final Signal signal) {
    if (received != null) {
      Runtime.getRuntime().halt(128 + signal.getNumber());
    }
    received = signal;
    stopRequested.countDown();
    final Thread watchdog = new Thread(() -> {
      try {
        if (!closed.await(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          Runtime.getRuntime().halt(128 + signal.getNumber());
        }
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "gradstream-stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /** The signal that asked for the stop ({@code SIGTERM}, {@code SIGINT}), or null. */
  public String signal() {
    final Signal s = received;
    return s == null ? null : "SIG" + s.getName();
  }

  /** " on SIGTERM" and the like for a stop line, or nothing when the stop came from inside. */
  public static String on(final StopSignal stop) {
    return stop.signal() == null ? "" : " on " + stop.signal();
  }

  /** Asks for a stop from inside, e.g. when Kafka Streams has died. */
  public void request() {
    stopRequested.countDown();
  }

  public void await() throws InterruptedException {
    stopRequested.await();
  }

  /** Waits up to {@code timeout}; true when a stop was requested. */
  public boolean await(final Duration timeout) throws InterruptedException {
    return stopRequested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Everything is closed: let the JVM go; signals are the JVM's again. */
  @Override
  public void close() {
    closed.countDown();
    previous.forEach((name, handler) -> Signal.handle(new Signal(name), handler));
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (final IllegalStateException shuttingDown) {
      // the hook is running; it returns now that closed has counted down
    }
  }
}
