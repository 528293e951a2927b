package io.gradstream.stream;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
}
