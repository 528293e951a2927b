package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.demo.EmbeddedKafka;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring a user imports, against the real thing: the demo runs, a real Prometheus scrapes
 * it with gradstream's alert rules loaded, and every query of the Grafana dashboard and every alert
 * expression is evaluated through Prometheus's HTTP API. Each must parse; the loss, events/s and
 * weight panels must return data. Prometheus comes from Debian's package (.ci/run installs it);
 * outside CI the test is skipped when it is missing.
 */
class MonitoringIT {
  /** Panels that must show data while the demo runs. */
  private static final Set<String> MUST_HAVE_DATA = Set.of("Loss per model (moving average)",
      "Predictions/s by outcome", "Pending predictions", "Label delay",
      "Served loss beside the loss at label time",
      "Mean loss, all models", "Weights per model", "Events/s by outcome");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void everyDashboardQueryAndAlertExpressionWorksOnARealPrometheus() throws Exception {
    final Path prometheusBinary = Path.of("/usr/bin/prometheus");
    assumeTrue(Files.isExecutable(prometheusBinary) || "true".equals(System.getenv("CI")),
        "Debian's prometheus package is not installed (.ci/run installs it)");
    assertThat(prometheusBinary).isExecutable();
    final Path monitoring = Path.of(System.getProperty("gradstream.monitoring"));
    final Path rules = monitoring.resolve("prometheus/rules/gradstream.rules.yml");
    final JsonNode dashboard = JSON.readTree(
        monitoring.resolve("grafana/dashboards/gradstream.json").toFile());

    final int appPort = EmbeddedKafka.freePort();
    final int promPort = EmbeddedKafka.freePort();
    try (ServiceProcess demo = ServiceProcess.start(dir.resolve("demo.log"), Map.of(), appPort,
        "demo", "--rate", "400", "--progress-every", "10")) {
      demo.awaitReady(Duration.ofSeconds(90));
      final Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, Files.readString(
              monitoring.resolve("prometheus/prometheus.yml"))
          .replace("localhost:8080", "localhost:" + appPort)
          .replace("scrape_interval: 5s", "scrape_interval: 1s")
          .replace("evaluation_interval: 5s", "evaluation_interval: 1s")
          .replace("rules/gradstream.rules.yml", rules.toAbsolutePath().toString()));
      final Process prometheus = new ProcessBuilder(prometheusBinary.toString(),
          "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
          "--web.listen-address=127.0.0.1:" + promPort)
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
      try {
        final String api = "http://127.0.0.1:" + promPort;
        awaitOk(api + "/-/ready", Duration.ofSeconds(30));
        Thread.sleep(20_000); // twenty scrapes: enough for every rate() window below

        final List<String> failures = new ArrayList<>();
        for (final JsonNode panel : dashboard.get("panels")) {
          final String title = panel.get("title").asText();
          if (panel.path("type").asText().equals("row")) {
            continue;
          }
          boolean anyData = false;
          for (final JsonNode target : panel.get("targets")) {
            final JsonNode result = query(api, grafanaToPromQl(target.get("expr").asText()));
            if (!"success".equals(result.path("status").asText())) {
              failures.add(title + ": " + result);
            } else if (!result.path("data").path("result").isEmpty()) {
              anyData = true;
            }
          }
          if (MUST_HAVE_DATA.contains(title) && !anyData) {
            failures.add(title + ": no data");
          }
        }
        for (final String variable : new String[] {"job", "model"}) {
          final String metric = variable.equals("job") ? "gradstream_events_total"
              : "gradstream_model_loss_ewma";
          final JsonNode values = get(api + "/api/v1/label/" + variable + "/values?match[]="
              + URLEncoder.encode(metric, StandardCharsets.UTF_8));
          if (values.path("data").isEmpty()) {
            failures.add("variable " + variable + ": no values");
          }
        }
        final JsonNode groups = get(api + "/api/v1/rules").path("data").path("groups");
        int alerts = 0;
        for (final JsonNode group : groups) {
          for (final JsonNode rule : group.path("rules")) {
            alerts++;
            final JsonNode result = query(api, rule.path("query").asText());
            if (!"success".equals(result.path("status").asText())
                || !"ok".equals(rule.path("health").asText())) {
              failures.add("alert " + rule.path("name").asText() + ": " + rule.path("health")
                  + " " + rule.path("lastError") + " " + result);
            }
          }
        }
        assertThat(alerts).as("alert rules loaded").isEqualTo(countAlerts(rules));
        assertThat(failures).as("dashboard panels and alerts").isEmpty();
      } finally {
        prometheus.destroy();
        prometheus.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void alertRulesPassPromtoolsCheckAndTheirUnitTests() throws Exception {
    final Path promtool = Path.of("/usr/bin/promtool");
    assumeTrue(Files.isExecutable(promtool) || "true".equals(System.getenv("CI")),
        "Debian's prometheus package is not installed (.ci/run installs it)");
    final Path monitoring = Path.of(System.getProperty("gradstream.monitoring"));
    for (final List<String> command : List.of(
        List.of(promtool.toString(), "check", "rules",
            monitoring.resolve("prometheus/rules/gradstream.rules.yml").toString()),
        List.of(promtool.toString(), "test", "rules",
            monitoring.resolve("prometheus/tests/gradstream.rules.test.yml").toString()))) {
      final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
      assertThat(output).contains("SUCCESS");
    }
  }

  /** What Grafana does to a query before it reaches Prometheus: the variables, all selected. */
  static String grafanaToPromQl(final String expr) {
    return expr.replace("$__rate_interval", "15s").replace("$job", ".*").replace("$model", ".*");
  }

  private static int countAlerts(final Path rules) throws IOException {
    final Matcher m = Pattern.compile("(?m)^\\s*- alert:").matcher(Files.readString(rules));
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static JsonNode query(final String api, final String promQl) throws Exception {
    return get(api + "/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8));
  }

  private static JsonNode get(final String url) throws Exception {
    final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private static void awaitOk(final String url, final Duration limit) throws Exception {
    final long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (final IOException notYet) {
        // Prometheus is still starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError(url + " not ready within " + limit);
  }
}
