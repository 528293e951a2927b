package io.gradstream.cli;

/**
 * feed's --rate: events due one interval apart. Behind after a stall (the first send waits for
 * Kafka's metadata), it catches up a tenth of a second at most, instead of sending the whole
 * delay's worth in one burst at many times the rate asked for.
 */
final class RateLimit {
  static final long CATCH_UP_NANOS = 100_000_000L;

  private final long intervalNanos;
  private long next;

  RateLimit(final double eventsPerSecond, final long nowNanos) {
    this.intervalNanos = (long) (1e9 / eventsPerSecond);
    this.next = nowNanos;
  }

  /** How long to wait at {@code nowNanos} before sending the next event, which it books. */
  long delay(final long nowNanos) {
    next = Math.max(next, nowNanos - CATCH_UP_NANOS);
    final long wait = next - nowNanos;
    next += intervalNanos;
    return Math.max(0, wait);
  }
}
