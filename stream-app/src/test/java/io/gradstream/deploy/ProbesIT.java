package io.gradstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.it.KafkaTestCluster;
import io.gradstream.it.ServiceProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes of deploy/ (their paths read from the rendered StatefulSet) against a real service
 * through its life: starting, restoring a million models into a wiped state directory, running,
 * and stopping on SIGTERM. The startup and liveness probes must never fail while the process
 * lives (a failed liveness probe during a long restore would have Kubernetes kill the pod and
 * start the restore over); readiness must say 503 until Kafka Streams runs, 200 while it runs,
 * and 503 again from the stop on. The restore also shows in {@code /metrics} while it runs, as the
 * dashboard's restoration panel needs.
 */
class ProbesIT {
  private static final int MODELS = 1_000_000;
  private static final Path DEPLOY = Path.of(System.getProperty("gradstream.deploy"));
  private static final Path DASHBOARD = Path.of(System.getProperty("gradstream.monitoring"),
      "grafana/dashboards/gradstream.json");

  @TempDir
  Path dir;

  /** The three probes' paths as Kubernetes will use them. */
  private record Probes(String startup, String liveness, String readiness) {
    static Probes of(final JsonNode container) {
      return new Probes(container.at("/startupProbe/httpGet/path").asText(),
          container.at("/livenessProbe/httpGet/path").asText(),
          container.at("/readinessProbe/httpGet/path").asText());
    }
  }

  @Test
  void probesSayWhatKubernetesMustDoFromStartThroughRestoreToStop() throws Exception {
    assumeTrue(Commands.onPath("kubectl") || "true".equals(System.getenv("CI")),
        "kubectl is not installed (.ci/run installs it)");
    final Probes probes = Probes.of(RenderedManifests.render(DEPLOY.resolve("base"))
        .container());
    // the metric the dashboard's restoration panel sums, as it names it
    final Pattern remainingMetric = Pattern.compile("\\(([a-z_]+)\\{");
    String panelMetric = null;
    for (final JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).get("panels")) {
      if (panel.path("title").asText().startsWith("Restoration")) {
        final Matcher m = remainingMetric.matcher(panel.at("/targets/0/expr").asText());
        assertThat(m.find()).isTrue();
        panelMetric = m.group(1);
      }
    }
    assertThat(panelMetric).as("the restoration panel's metric").isNotNull();
    final Pattern remainingPattern = Pattern.compile("(?m)^" + panelMetric
        + "\\{[^}]*} ([0-9.E+]+)");
    try (KafkaTestCluster kafka = KafkaTestCluster.start(1)) {
      final Path state = dir.resolve("state");
      final Path log = dir.resolve("service.log");
      final int port = EmbeddedKafka.freePort();
      final String[] args = {"run", "--bootstrap-servers", kafka.bootstrapServers(),
          "--state-dir", state.toString()};
      fillModels(kafka.bootstrapServers());
      try (ServiceProcess service = ServiceProcess.start(log, Map.of(), port, args)) {
        service.awaitReady(Duration.ofSeconds(90));
        final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (service.status("/models/m-" + (MODELS - 1)) != 200
            && System.nanoTime() < deadline) {
          Thread.sleep(500);
        }
        assertThat(service.status("/models/m-" + (MODELS - 1))).isEqualTo(200);
        service.terminate(Duration.ofSeconds(30));
      }
      EmbeddedKafka.deleteRecursively(state);

      // starting and restoring: from the process's first moment until it is ready
      double remaining = 0;
      int restoringScrapes = 0;
      final TreeSet<String> seen = new TreeSet<>();
      try (ServiceProcess service = ServiceProcess.start(log, Map.of(), port, args)) {
        final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
          final int startup = service.status(probes.startup());
          final int liveness = service.status(probes.liveness());
          final int readiness = service.status(probes.readiness());
          seen.add(startup + "/" + liveness + "/" + readiness);
          if (readiness == 200) {
            break;
          }
          assertThat(List.of(startup, liveness)).as("startup and liveness before ready")
              .allMatch(s -> s == -1 || s == 200);
          assertThat(readiness).as("readiness before ready").isIn(-1, 503);
          if (readiness == 503) {
            final Matcher m = remainingPattern.matcher(service.get("/metrics"));
            double now = 0;
            while (m.find()) {
              now = Math.max(now, Double.parseDouble(m.group(1)));
            }
            if (now > 0) {
              restoringScrapes++;
              remaining = Math.max(remaining, now);
              assertThat(service.status(probes.liveness())).as("liveness while restoring")
                  .isEqualTo(200);
            }
          }
          Thread.sleep(50);
        }
        assertThat(service.status(probes.readiness())).as("readiness once running")
            .isEqualTo(200);
        assertThat(service.status(probes.liveness())).isEqualTo(200);
        assertThat(service.status(probes.startup())).isEqualTo(200);
        assertThat(restoringScrapes).as("scrapes while records were left to restore")
            .isPositive();
        System.out.printf("probes while starting and restoring (startup/liveness/readiness): %s;"
            + " up to %.0f records left to restore, seen in %d scrapes%n", seen, remaining,
            restoringScrapes);

        // stopping: readiness goes 503 while Kafka Streams closes; liveness answers 200 until
        // the server goes with the process
        final List<String> stopping = probeWhileStopping(service, probes);
        System.out.printf("probes while stopping (liveness/readiness): %s%n", stopping);
        assertThat(stopping).as("readiness 503 while closing, liveness 200")
            .contains("200/503");
        final int firstDown = stopping.indexOf("200/503");
        assertThat(stopping.subList(firstDown, stopping.size()))
            .as("never ready again once stopping").allMatch(s -> !s.endsWith("/200"))
            .allMatch(s -> s.startsWith("200/") || s.startsWith("-1/"));
      }
    }
  }

  /** SIGTERM, then both probes polled until the process is gone; each poll's statuses. */
  private static List<String> probeWhileStopping(final ServiceProcess service,
      final Probes probes) throws Exception {
    final List<String> seen = new ArrayList<>();
    final Thread stop = new Thread(() -> {
      try {
        service.terminate(Duration.ofSeconds(30));
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    stop.start();
    while (stop.isAlive()) {
      final String now = service.status(probes.liveness()) + "/"
          + service.status(probes.readiness());
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now)) {
        seen.add(now);
      }
    }
    stop.join();
    return seen;
  }

  private static void fillModels(final String bootstrap) {
    final Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "524288");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      final byte[] value = AvroValues.bytes(LabeledEvent.getEncoder(),
          new LabeledEvent(List.of(0.5), 0.25, null, null, null, null));
      for (int i = 0; i < MODELS; i++) {
        producer.send(new ProducerRecord<>("training-events",
            ("m-" + i).getBytes(StandardCharsets.UTF_8), value));
      }
    }
  }
}
