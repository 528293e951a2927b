package io.gradstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradstream.avro.LabeledEvent;
import io.gradstream.registry.RegistryClient.WriterSchemaText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WriterSchemasTest {
  private static final WriterSchemaText EVENT =
      new WriterSchemaText("AVRO", LabeledEvent.getClassSchema().toString());

  /** A clock that moves only when a lookup pauses, by the pause (or a test moves it). */
  private long now = TimeUnit.HOURS.toNanos(3);
  private final List<Long> pauses = new ArrayList<>();
  private final AtomicInteger asked = new AtomicInteger();

  private WriterSchemas schemas(final int failures, final WriterSchemaText answer) {
    return schemas(failures, answer, Duration.ofSeconds(30));
  }

  private WriterSchemas schemas(final int failures, final WriterSchemaText answer,
      final Duration outageRetry) {
    return new WriterSchemas(id -> {
      if (asked.incrementAndGet() <= failures) {
        throw new RegistryUnavailableException("connection refused", null);
      }
      return answer;
    }, "http://registry:8081", outageRetry, () -> now, millis -> {
      pauses.add(millis);
      now += TimeUnit.MILLISECONDS.toNanos(millis);
    });
  }

  @Test
  void fetchesEachIdOnceAndKeepsIt() {
    final WriterSchemas schemas = schemas(0, EVENT);
    assertThat(schemas.get(7).schema()).isEqualTo(LabeledEvent.getClassSchema());
    now += TimeUnit.HOURS.toNanos(5);
    assertThat(schemas.get(7).schema()).isEqualTo(LabeledEvent.getClassSchema());
    assertThat(schemas.get(8).unknown()).isFalse();
    assertThat(asked).hasValue(2);
  }

  @Test
  void waitsForAnAbsentRegistryWithGrowingPausesAndGetsTheSchema() {
    final WriterSchemas schemas = schemas(8, EVENT);
    assertThat(schemas.get(1).schema()).isEqualTo(LabeledEvent.getClassSchema());
    assertThat(pauses).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L);
    assertThat(asked).hasValue(9);
  }

  @Test
  void givesTheRecordUpToItsThreadAfterTheOutageRetry() {
    final WriterSchemas schemas = schemas(Integer.MAX_VALUE, EVENT);
    assertThatThrownBy(() -> schemas.get(3))
        .isInstanceOf(RegistryOutageException.class)
        .hasMessage("schema 3 could not be fetched for 30 s: connection refused")
        .hasCauseInstanceOf(RegistryUnavailableException.class);
    // never past the retry: the last pause ends exactly at 30 s (+1 ms)
    assertThat(pauses.stream().mapToLong(Long::longValue).sum()).isEqualTo(30_001L);
    assertThat(RegistryOutageException.in(new RuntimeException(new IllegalStateException(
        new RegistryOutageException("x", null))))).isNotNull();
    assertThat(RegistryOutageException.in(new RuntimeException("y"))).isNull();
  }

  @Test
  void withNoOutageRetryTheFirstFailureGivesUp() {
    assertThatThrownBy(() -> schemas(1, EVENT, Duration.ZERO).get(3))
        .isInstanceOf(RegistryOutageException.class);
    assertThat(pauses).isEmpty();
  }

  @Test
  void anUnknownIdIsAnsweredAsSuchAndAskedAgainAfterAMinute() {
    final WriterSchemas schemas = schemas(0, null);
    final WriterSchemas.Answer answer = schemas.get(42);
    assertThat(answer.unknown()).isTrue();
    assertThat(answer.schema()).isNull();
    assertThat(answer.problem())
        .isEqualTo("schema id 42 is not in the schema registry at http://registry:8081");
    now += TimeUnit.SECONDS.toNanos(60) - 1;
    assertThat(schemas.get(42).unknown()).isTrue();
    assertThat(asked).hasValue(1);
    now += 1;
    assertThat(schemas.get(42).unknown()).isTrue();
    assertThat(asked).hasValue(2);
  }

  @Test
  void aSchemaThatIsNotAvroOrNotValidSaysSo() {
    assertThat(schemas(0, new WriterSchemaText("JSON", "{}")).get(1).problem())
        .isEqualTo("schema 1 is JSON, not Avro");
    final WriterSchemas.Answer broken = schemas(0, new WriterSchemaText("AVRO",
        "{\"type\": \"record\", \"name\": \"R\", \"fields\": [{\"name\": \"a\", "
            + "\"type\": \"nothing\"}]}")).get(2);
    assertThat(broken.unknown()).isFalse();
    assertThat(broken.schema()).isNull();
    assertThat(broken.problem()).startsWith("schema 2 is not a valid Avro schema: ")
        .contains("nothing");
  }
}
