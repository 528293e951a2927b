package io.gradstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.gradstream.cli.MainAccess;
import io.gradstream.http.HttpApi;
import io.gradstream.http.NoModels;
import io.gradstream.http.ServiceRoutes;
import io.gradstream.learn.Activation;
import io.gradstream.learn.ModelSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/ as Kubernetes will see it: every overlay rendered with {@code kubectl kustomize},
 * validated against the Kubernetes, Prometheus Operator and KEDA schemas (deploy/test, with the
 * kubernetes-models packages), and its wiring read against the application: probe paths and
 * ports, every environment variable, the state directory, the copies of the alert rules and the
 * dashboard.
 */
class DeployManifestsIT {
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DEPLOY = Path.of(System.getProperty("gradstream.deploy"));
  private static final Path MONITORING = Path.of(System.getProperty("gradstream.monitoring"));

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod", "prod-autoscaling"})
  void overlayRendersValidatesAndIsWiredToTheApplication(final String overlay) throws Exception {
    assumeTrue(Commands.onPath("kubectl") || "true".equals(System.getenv("CI")),
        "kubectl is not installed (.ci/run installs it)");
    final RenderedManifests manifests = RenderedManifests.render(DEPLOY.resolve("overlays/"
        + overlay));
    final List<JsonNode> objects = manifests.objects();
    assertThat(objects).isNotEmpty();

    installValidators();
    final String validation = Commands.run(manifests.yaml(), "node",
        DEPLOY.resolve("test/validate.mjs").toString());
    assertThat(validation).contains(objects.size() + " of " + objects.size() + " objects valid");

    final JsonNode statefulSet = manifests.one("StatefulSet");
    final JsonNode container = manifests.container();
    final Map<String, String> settings = manifests.environment(container);
    assertThat(container.at("/envFrom/0/configMapRef/name").asText())
        .as("named by a hash of its content, so that a changed setting rolls every pod")
        .matches("gradstream-settings-[a-z0-9]{10}");
    final boolean operator = overlay.startsWith("prod");
    checkPorts(container, settings, manifests, operator);
    checkEnvironment(container, settings);
    assertThat(settings).as("every topic named where an operator looks for it").containsKeys(
        "GRADSTREAM_INPUT_TOPIC", "GRADSTREAM_METRICS_TOPIC", "GRADSTREAM_DLQ_TOPIC",
        "GRADSTREAM_PREDICTIONS_TOPIC", "GRADSTREAM_DRIFTS_TOPIC", "GRADSTREAM_CHAMPIONS_TOPIC");
    checkStateVolume(container, settings);
    checkNamespaceAndNetwork(manifests, settings);
    if (operator) {
      checkMonitoringCopies(manifests);
    } else {
      assertThat(objects).as("applies to a cluster without the Prometheus Operator")
          .noneMatch(o -> o.path("apiVersion").asText().startsWith("monitoring.coreos.com"));
    }
    assertThat(statefulSet.at("/spec/template/spec/terminationGracePeriodSeconds").asInt())
        .as("time for Kafka Streams' close (20 s) after SIGTERM").isGreaterThanOrEqualTo(30);
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(statefulSet.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean())
        .isTrue();

    if (overlay.startsWith("prod")) {
      assertThat(settings).containsEntry("KAFKA_NUM_STANDBY_REPLICAS", "1");
      assertThat(statefulSet.at("/spec/template/spec/affinity/podAntiAffinity"
          + "/requiredDuringSchedulingIgnoredDuringExecution").isMissingNode())
          .as("a required one-pod-per-node rule needs as many nodes as pods").isTrue();
    }
    if (overlay.equals("prod")) {
      assertThat(statefulSet.at("/spec/replicas").asInt()).isEqualTo(3);
    }
    if (overlay.equals("prod-autoscaling")) {
      assertThat(statefulSet.at("/spec/replicas").isMissingNode())
          .as("KEDA owns the replica count; a fixed one would reset it at every apply").isTrue();
      final JsonNode trigger = manifests.one("ScaledObject").at("/spec/triggers/0/metadata");
      // one source: the trigger reads the container's own settings
      for (final String[] from : new String[][] {
          {"bootstrapServersFromEnv", "KAFKA_BOOTSTRAP_SERVERS", "bootstrapServers"},
          {"consumerGroupFromEnv", "GRADSTREAM_APPLICATION_ID", "consumerGroup"},
          {"topicFromEnv", "GRADSTREAM_INPUT_TOPIC", "topic"}}) {
        assertThat(trigger.get(from[0]).asText()).isEqualTo(from[1]);
        assertThat(settings).containsKey(from[1]);
        assertThat(trigger.has(from[2])).as("no second copy of %s", from[2]).isFalse();
      }
    }
  }

  private static void checkPorts(final JsonNode container, final Map<String, String> settings,
      final RenderedManifests manifests, final boolean operator) throws Exception {
    final int port = container.at("/ports/0/containerPort").asInt();
    assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
    assertThat(Integer.parseInt(settings.get("GRADSTREAM_HTTP_PORT"))).isEqualTo(port);
    final List<String> paths = new ArrayList<>();
    for (final String probe : new String[] {"startupProbe", "livenessProbe", "readinessProbe"}) {
      assertThat(container.at("/" + probe + "/httpGet/port").asText()).isEqualTo("http");
      paths.add(container.at("/" + probe + "/httpGet/path").asText());
    }
    assertThat(paths).contains("/health/ready");
    for (final JsonNode o : manifests.objects()) {
      if (o.path("kind").asText().equals("Service")) {
        assertThat(o.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
      }
    }
    if (operator) {
      final JsonNode monitor = manifests.one("PodMonitor");
      assertThat(monitor.at("/metadata/labels/release").asText())
          .as("the label kube-prometheus-stack selects by").isEqualTo("kube-prometheus-stack");
      final JsonNode scrape = monitor.at("/spec/podMetricsEndpoints/0");
      assertThat(scrape.get("port").asText()).isEqualTo("http");
      paths.add(scrape.get("path").asText());
    }
    // every path the manifests use is served by the real HTTP API, here one not yet running:
    // startup and liveness say alive (200), readiness not ready (503), the scrape has its text;
    // ProbesIT follows them through a real service's life
    final List<Integer> expected = new ArrayList<>(List.of(200, 200, 503));
    if (operator) {
      expected.add(200);
    }
    try (HttpApi api = HttpApi.serving(null, 0, () -> "", ServiceRoutes.models(() -> false,
        new NoModels(), new ModelSpec(1, false, Activation.SIGMOID, 0.1, null, 0)))) {
      for (int i = 0; i < paths.size(); i++) {
        final int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://localhost:" + api.port() + paths.get(i))).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(status).as(paths.get(i)).isEqualTo(expected.get(i));
      }
    }
  }

  /** Every variable set is one the application (or a $(VAR) reference in another) reads. */
  private static void checkEnvironment(final JsonNode container,
      final Map<String, String> settings) throws Exception {
    final List<String> runOptions = MainAccess.runOptions();
    final Set<String> kafkaNames = new HashSet<>(StreamsConfig.configDef().names());
    kafkaNames.addAll(ConsumerConfig.configNames());
    kafkaNames.addAll(ProducerConfig.configNames());
    kafkaNames.addAll(AdminClientConfig.configNames());
    final String allValues = String.join(" ", settings.values().stream()
        .filter(v -> v != null).toList());
    for (final String name : settings.keySet()) {
      if (name.startsWith("GRADSTREAM_")) {
        final String option = "--" + name.substring("GRADSTREAM_".length())
            .toLowerCase(Locale.ROOT).replace('_', '-');
        assertThat(runOptions).as(name + " is an option of gradstream run")
            .contains(option);
      } else if (name.startsWith("KAFKA_")) {
        final String property = name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT)
            .replace('_', '.');
        assertThat(kafkaNames)
            .as(name + " is a Kafka client or Streams property")
            .contains(property);
      } else {
        assertThat(allValues).as(name + " is used by another variable").contains("$(" + name + ")");
      }
    }
  }

  /**
   * The overlay's namespace is one of its objects (apply -k on a new cluster works), and the
   * network policy lets in HTTP and out DNS and the Kafka the settings name.
   */
  private static void checkNamespaceAndNetwork(final RenderedManifests manifests,
      final Map<String, String> settings) {
    final String namespace = manifests.one("StatefulSet").at("/metadata/namespace").asText();
    assertThat(manifests.one("Namespace").at("/metadata/name").asText()).isEqualTo(namespace);
    final JsonNode policy = manifests.one("NetworkPolicy").path("spec");
    assertThat(policy.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText())
        .isEqualTo("gradstream");
    assertThat(policy.at("/ingress/0/ports/0/port").asText()).isEqualTo("http");
    final List<String> egress = new ArrayList<>();
    for (final JsonNode rule : policy.path("egress")) {
      for (final JsonNode port : rule.path("ports")) {
        egress.add(port.path("port").asText());
      }
    }
    final String servers = settings.get("KAFKA_BOOTSTRAP_SERVERS");
    assertThat(egress).contains("53", "http",
        servers.substring(servers.lastIndexOf(':') + 1));
  }

  private static void checkStateVolume(final JsonNode container,
      final Map<String, String> settings) {
    String mount = null;
    for (final JsonNode m : container.path("volumeMounts")) {
      if (m.get("name").asText().equals("state")) {
        mount = m.get("mountPath").asText();
      }
    }
    assertThat(mount).as("the state volume is mounted at the configured state dir")
        .isEqualTo(settings.get("GRADSTREAM_STATE_DIR"));
  }

  /** One source of truth: the copies in deploy/ equal monitoring/'s files. */
  private static void checkMonitoringCopies(final RenderedManifests manifests)
      throws IOException {
    final JsonNode rules = YAML.readTree(
        MONITORING.resolve("prometheus/rules/gradstream.rules.yml").toFile());
    assertThat(manifests.one("PrometheusRule").at("/spec/groups"))
        .as("deploy/base/prometheusrule.yaml matches monitoring/prometheus/rules")
        .isEqualTo(rules.get("groups"));
    final JsonNode dashboard = JSON.readTree(
        MONITORING.resolve("grafana/dashboards/gradstream.json").toFile());
    final JsonNode map =
        manifests.objects().stream()
            .filter(o -> o.at("/metadata/labels/grafana_dashboard").asText().equals("1"))
            .findFirst()
            .orElseThrow();
    assertThat(JSON.readTree(map.at("/data/gradstream.json").asText()))
        .as("deploy/base/grafana-dashboard.json matches monitoring/grafana/dashboards")
        .isEqualTo(dashboard);
  }

  /**
   * The schema validators of deploy/test, installed from its lockfile when they are missing or
   * older than it, so that {@code mvn verify} on a fresh clone runs these tests wherever npm is.
   */
  private static synchronized void installValidators() throws Exception {
    final Path test = DEPLOY.resolve("test");
    final Path installed = test.resolve("node_modules/.package-lock.json");
    if (Files.isRegularFile(installed) && Files.getLastModifiedTime(installed)
        .compareTo(Files.getLastModifiedTime(test.resolve("package-lock.json"))) >= 0) {
      return;
    }
    assumeTrue(Commands.onPath("npm") || "true".equals(System.getenv("CI")),
        "npm is not installed: install Node.js and npm to validate deploy/ against the "
            + "Kubernetes schemas");
    Commands.run(null, "npm", "ci", "--prefix", test.toString(), "--no-audit", "--no-fund",
        "--loglevel=error");
  }
}
