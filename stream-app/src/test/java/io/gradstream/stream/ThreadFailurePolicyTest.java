package io.gradstream.stream;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.registry.RegistryOutageException;
import java.time.Duration;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class ThreadFailurePolicyTest {
  private long now;
  private final ThreadFailurePolicy policy =
      new ThreadFailurePolicy(3, Duration.ofMinutes(10), () -> now);

  @Test
  void replacesAFewDeadThreadsThenShutsDown() {
    final RuntimeException boom = new RuntimeException("boom");
    assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
    now += Duration.ofMinutes(1).toNanos();
    assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
    assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
    assertThat(policy.handle(boom)).isEqualTo(SHUTDOWN_CLIENT);
  }

  @Test
  void failuresOutsideTheWindowAreForgotten() {
    final RuntimeException boom = new RuntimeException("boom");
    for (int i = 0; i < 10; i++) {
      assertThat(policy.handle(boom)).as("failure %d", i).isEqualTo(REPLACE_THREAD);
      now += Duration.ofMinutes(4).toNanos();
    }
  }

  /**
   * A thread that gave up waiting for the schema registry is replaced however often it happens
   * (each replacement waits again, resuming from its last commit), and does not count against
   * the threads that die of other trouble.
   */
  @Test
  void aRegistryOutageReplacesTheThreadWithoutCountingAsAFailure() {
    final RuntimeException outage = new StreamsException(new RegistryOutageException(
        "schema 3 could not be fetched for 60 s: connection refused", null));
    for (int i = 0; i < 20; i++) {
      assertThat(policy.handle(outage)).as("outage %d", i).isEqualTo(REPLACE_THREAD);
    }
    final RuntimeException boom = new RuntimeException("boom");
    for (int i = 0; i < 3; i++) {
      assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
    }
    assertThat(policy.handle(boom)).isEqualTo(SHUTDOWN_CLIENT);
  }
}
