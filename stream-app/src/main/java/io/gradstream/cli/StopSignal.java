package io.gradstream.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one place that turns SIGTERM / Ctrl-C into an orderly stop: the JVM's shutdown hook asks the
 * command to stop, then holds the JVM open until the command has closed everything (a final
 * commit, the broker, temporary directories), at most {@link #GRACE}.
 */
final class StopSignal implements AutoCloseable {
  /** Kubernetes' default termination grace period is 30 s; stop well inside it. */
  static final Duration GRACE = Duration.ofSeconds(25);

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;

  StopSignal() {
    hook = new Thread(() -> {
      stopRequested.countDown();
      try {
        closed.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "gradstream-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Asks for a stop from inside, e.g. when Kafka Streams has died. */
  void request() {
    stopRequested.countDown();
  }

  void await() throws InterruptedException {
    stopRequested.await();
  }

  /** Waits up to {@code timeout}; true when a stop was requested. */
  boolean await(final Duration timeout) throws InterruptedException {
    return stopRequested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Everything is closed: let the JVM go. */
  @Override
  public void close() {
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (final IllegalStateException shuttingDown) {
      // the hook is running; it returns now that closed has counted down
    }
  }
}
