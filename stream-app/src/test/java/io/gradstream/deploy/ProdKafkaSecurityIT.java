package io.gradstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradstream.cli.MainAccess;
import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.it.CrashRecoveryIT;
import io.gradstream.it.ServiceProcess;
import io.gradstream.learn.Activation;
import io.gradstream.learn.ModelSpec;
import io.gradstream.replay.EventRow;
import io.gradstream.replay.Replay;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production overlay's Kafka security, for real: a broker that takes SASL/SCRAM-SHA-512 over
 * TLS only, with a certificate signed by a CA made for the test, and the service configured
 * exactly as {@code deploy/overlays/prod} configures it: its ConfigMap's KAFKA_* settings as
 * {@code kubectl kustomize} renders them (the PEM truststore at the path where the TLS secret is
 * mounted, here a directory of the test's), and the JAAS line from the credentials secret's key.
 * The models it serves equal replay; with a CA of another, the TLS handshake is refused and said.
 */
class ProdKafkaSecurityIT {
  private static final Path DEPLOY = Path.of(System.getProperty("gradstream.deploy"));
  private static final ModelSpec SPEC = new ModelSpec(2, true, Activation.TANH, 0.05, null, 0);
  private static final String PASSWORD = "changeit";

  @TempDir
  Path dir;

  @Test
  void theServiceTrainsOverSaslSslConfiguredAsTheProdOverlay() throws Exception {
    assumeTrue(Commands.onPath("kubectl") || "true".equals(System.getenv("CI")),
        "kubectl is not installed (.ci/run installs it)");
    final RenderedManifests prod = RenderedManifests.render(DEPLOY.resolve("overlays/prod"));
    final JsonNode container = prod.container();
    final Map<String, String> settings = prod.environment(container);
    final String mount = mountPath(container, "kafka-tls");
    final String truststore = settings.get("KAFKA_SSL_TRUSTSTORE_LOCATION");
    assertThat(truststore).as("the truststore is in the TLS secret's volume").startsWith(mount);
    assertThat(settings).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
        .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
    assertThat(secretKey(container, "KAFKA_SASL_JAAS_CONFIG"))
        .isEqualTo("gradstream-kafka-credentials/sasl.jaas.config");

    final Path tls = Files.createDirectories(dir.resolve("kafka-tls"));
    final Path keystore = certificates(tls);
    final List<EventRow> rows = EventRow.random(new Random(29), 2000, 2, 4);
    final Replay replay = new Replay(SPEC);
    replay.train(new StringReader(EventRow.jsonLines(rows)), (line, reason, detail) -> { });

    final EmbeddedKafka.ScramUser alice = new EmbeddedKafka.ScramUser("alice", "alice-secret");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.freePort(), alice,
        new EmbeddedKafka.Tls(keystore, PASSWORD))) {
      final Map<String, String> env = new HashMap<>();
      for (final String name : new String[] {"KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM",
          "KAFKA_SSL_TRUSTSTORE_TYPE"}) {
        env.put(name, settings.get(name));
      }
      env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", tls + truststore.substring(mount.length()));
      env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
      // the secret's value, in the form the overlay's comment gives
      env.put("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule"
          + " required username=\"alice\" password=\"alice-secret\";");
      try (ServiceProcess service = ServiceProcess.start(dir.resolve("service.log"), env,
          EmbeddedKafka.freePort(), "run", "--state-dir", dir.resolve("state").toString(),
          "--features", "2", "--bias", "--activation", "tanh", "--learning-rate", "0.05")) {
        service.awaitReady(Duration.ofSeconds(90));
        final Path file = dir.resolve("events.jsonl");
        Files.writeString(file, EventRow.jsonLines(rows));
        final MainAccess.Result fed = MainAccess.execute(env, "feed", file.toString());
        assertThat(fed.code()).as(fed.err()).isZero();
        CrashRecoveryIT.assertServedModelsEqual(service, replay.models(),
            Duration.ofSeconds(60));
        assertThat(service.output()).doesNotContain("PLAINTEXT://");
      }

      // a truststore without this cluster's CA: refused in the handshake, and said so
      final Path otherCa = Files.createDirectories(dir.resolve("other"));
      certificates(otherCa);
      env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", otherCa.resolve("ca.crt").toString());
      try (ServiceProcess refused = ServiceProcess.start(dir.resolve("refused.log"), env,
          EmbeddedKafka.freePort(), "run", "--state-dir", dir.resolve("state2").toString(),
          "--features", "2", "--bias", "--activation", "tanh")) {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!refused.output().contains("SSL handshake failed")
            && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        assertThat(refused.output()).contains("SSL handshake failed");
        assertThat(refused.status("/health/ready")).isEqualTo(503);
      }
    }
  }

  /** A CA (ca.crt, PEM) and a broker keystore for localhost signed by it; returns the keystore. */
  private static Path certificates(final Path dir) throws Exception {
    final String ca = dir.resolve("ca.p12").toString();
    final String broker = dir.resolve("broker.p12").toString();
    keytool("-genkeypair", "-alias", "ca", "-dname", "CN=gradstream-test-ca", "-keyalg", "RSA",
        "-keysize", "2048", "-validity", "2", "-ext", "bc:c", "-keystore", ca);
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-file",
        dir.resolve("ca.crt").toString());
    keytool("-genkeypair", "-alias", "broker", "-dname", "CN=localhost", "-keyalg", "RSA",
        "-keysize", "2048", "-validity", "2", "-keystore", broker);
    keytool("-certreq", "-alias", "broker", "-keystore", broker, "-file",
        dir.resolve("broker.csr").toString());
    keytool("-gencert", "-alias", "ca", "-keystore", ca, "-infile",
        dir.resolve("broker.csr").toString(), "-outfile", dir.resolve("broker.crt").toString(),
        "-rfc", "-validity", "2", "-ext", "SAN=dns:localhost,ip:127.0.0.1");
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file",
        dir.resolve("ca.crt").toString(), "-keystore", broker);
    keytool("-importcert", "-alias", "broker", "-file", dir.resolve("broker.crt").toString(),
        "-keystore", broker);
    return Path.of(broker);
  }

  private static void keytool(final String... args) throws Exception {
    final List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
    final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    final String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
  }

  private static String mountPath(final JsonNode container, final String volume) {
    for (final JsonNode m : container.path("volumeMounts")) {
      if (m.path("name").asText().equals(volume)) {
        return m.path("mountPath").asText();
      }
    }
    throw new AssertionError("no volume mount " + volume);
  }

  /** secret/key of the env variable {@code name} taken from a secret. */
  private static String secretKey(final JsonNode container, final String name) {
    for (final JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        final JsonNode ref = e.at("/valueFrom/secretKeyRef");
        return ref.path("name").asText() + "/" + ref.path("key").asText();
      }
    }
    throw new AssertionError("no env " + name);
  }
}
