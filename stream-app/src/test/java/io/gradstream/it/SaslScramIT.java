package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.avro.AvroSafety;
import io.gradstream.cli.MainAccess;
import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.learn.Activation;
import io.gradstream.learn.ModelSpec;
import io.gradstream.replay.EventRow;
import io.gradstream.replay.Replay;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka that requires SASL/SCRAM-SHA-512, configured the Kubernetes way: the service process
 * and feed get their security settings only from KAFKA_* environment variables, as
 * deploy/overlays/prod sets them. The right credentials train the models (equal to replay); a
 * wrong password is refused with a clear message.
 */
class SaslScramIT {
  private static final ModelSpec SPEC = new ModelSpec(2, true, Activation.TANH, 0.05, null, 0);

  @TempDir
  Path dir;

  @Test
  void theServiceAndFeedAuthenticateFromTheEnvironment() throws Exception {
    AvroSafety.install();
    final List<EventRow> rows = EventRow.random(new Random(23), 3000, 2, 5);
    final Path file = dir.resolve("events.jsonl");
    Files.writeString(file, EventRow.jsonLines(rows));
    final Replay replay = new Replay(SPEC);
    replay.train(new StringReader(Files.readString(file)), (line, reason, detail) -> { });

    final EmbeddedKafka.ScramUser alice = new EmbeddedKafka.ScramUser("alice", "alice-secret");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.freePort(), alice)) {
      final Map<String, String> env = scram(kafka, "alice-secret");
      final int port = EmbeddedKafka.freePort();
      try (ServiceProcess service = ServiceProcess.start(dir.resolve("service.log"), env, port,
          "run", "--state-dir", dir.resolve("state").toString(), "--features", "2", "--bias",
          "--activation", "tanh", "--learning-rate", "0.05")) {
        service.awaitReady(Duration.ofSeconds(90));

        final MainAccess.Result refused = MainAccess.execute(scram(kafka, "wrong"), "feed",
            file.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("cannot reach Kafka").contains("uthentication");

        final MainAccess.Result fed = MainAccess.execute(env, "feed", file.toString());
        assertThat(fed.code()).as(fed.err()).isZero();
        final long valid = rows.stream().filter(r -> r.valid(2)).count();
        awaitTrained(service, valid);
        CrashRecoveryIT.assertServedModelsEqual(service, replay.models());
      }
    }
  }

  /** What deploy/overlays/prod sets (there over TLS, SASL_SSL). */
  private static Map<String, String> scram(final EmbeddedKafka kafka, final String password) {
    final Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    env.put("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule "
        + "required username=\"alice\" password=\"" + password + "\";");
    return env;
  }

  private static void awaitTrained(final ServiceProcess service, final long events)
      throws Exception {
    final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long trained = -1;
    while (System.nanoTime() < deadline) {
      final var m = Pattern.compile(
          "gradstream_events_total\\{outcome=\"trained\",reason=\"none\"} ([0-9.E]+)")
          .matcher(service.get("/metrics"));
      trained = m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
      if (trained >= events) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("trained " + trained + " of " + events + " events:\n"
        + service.output());
  }
}
