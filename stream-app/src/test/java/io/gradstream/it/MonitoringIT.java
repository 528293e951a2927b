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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring a user imports, against the real thing: a real Prometheus scrapes the service
 * with the repository's alert rules loaded, and the Grafana dashboard's queries are evaluated
 * through its HTTP API. Two runs:
 * <ul>
 *   <li>a healthy, noisy demo: every query parses, every panel but the networks' shows data,
 *       every metric the rules and panels name exists, and no alert fires;
 *   <li>a service driven into each condition an alert names, with events whose losses and
 *       gradients are known: the panels show the values fed (events/s, mean loss, gradient-norm
 *       quantiles, dead letters/s, latency, state, threads, lag), and exactly the alerts for the
 *       conditions caused fire: dead letters at a rate, refused non-finite steps, a thread death,
 *       a backlog after it, a diverging model, a stopped instance. (A thread's replacement stalls
 *       the input for the session timeout while Kafka Streams still says RUNNING, so
 *       GradstreamNotRunning stays quiet; its promtool tests cover it.)
 * </ul>
 * Both load the rules with their {@code for} durations in seconds where they say minutes (and
 * minutes for hours), and the lag rule's one-minute subquery step as one second: a test minute
 * is a second. Prometheus comes from Debian's package (.ci/run installs it); outside CI the test
 * is skipped when it is missing.
 */
class MonitoringIT {
  /** Panels of networks (--hidden), which neither run trains. */
  private static final Set<String> NETWORK_PANELS = Set.of("Gradient norm per layer",
      "Dead hidden units");
  /** Panels that only show data when something happens that the healthy run does not do. */
  private static final Set<String> EVENTFUL_PANELS = Set.of("Labels refused by reason",
      "Models met under other settings, and operators' actions",
      "Restoration: records left to restore", "Dead letters/s by reason");
  private static final Set<String> PROMQL_WORDS = Set.of("sum", "by", "rate", "max", "min",
      "histogram_quantile", "increase", "deriv", "and", "or", "on", "offset", "avg_over_time",
      "absent", "sqrt", "le", "job", "instance", "model", "outcome", "reason", "client_id",
      "action", "up", "group_left", "metric", "scope", "samples", "detector");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path MONITORING = Path.of(System.getProperty("gradstream.monitoring"));
  private static final Path RULES = MONITORING.resolve("prometheus/rules/gradstream.rules.yml");
  /** The losses the alert run feeds, in a cycle: log-uniform over four decades. */
  private static final double[] LOSSES = new double[100];

  static {
    for (int i = 0; i < LOSSES.length; i++) {
      LOSSES[i] = Math.pow(10, -4 + 4 * (i + 0.5) / LOSSES.length);
    }
  }

  @TempDir
  Path dir;

  @Test
  void aHealthyNoisyDemoShowsEveryPanelAndFiresNoAlert() throws Exception {
    final Path prometheusBinary = prometheus();
    final JsonNode dashboard = JSON.readTree(
        MONITORING.resolve("grafana/dashboards/gradstream.json").toFile());
    final int appPort = EmbeddedKafka.freePort();
    try (ServiceProcess demo = ServiceProcess.start(dir.resolve("demo.log"), Map.of(), appPort,
        "demo", "--rate", "400", "--noise", "0.3", "--progress-every", "10")) {
      demo.awaitReady(Duration.ofSeconds(90));
      try (Prometheus prometheus = Prometheus.start(prometheusBinary, dir, appPort)) {
        healthy(prometheus, dashboard);
      }
    }
  }

  private static void healthy(final Prometheus prometheus, final JsonNode dashboard)
      throws Exception {
    final long watched = System.nanoTime();
    Thread.sleep(60_000); // an hour of the rules' time: every rate() window has data

    final List<String> failures = new ArrayList<>();
    final Set<String> metrics = new TreeSet<>();
    for (final JsonNode panel : panels(dashboard)) {
      final String title = panel.get("title").asText();
      boolean anyData = false;
      for (final JsonNode target : panel.get("targets")) {
        final String expr = target.get("expr").asText();
        metrics.addAll(metricNames(expr));
        final JsonNode result = prometheus.query(grafanaToPromQl(expr));
        if (!"success".equals(result.path("status").asText())) {
          failures.add(title + ": " + result);
        } else if (!result.path("data").path("result").isEmpty()) {
          anyData = true;
        }
      }
      if (!anyData && !NETWORK_PANELS.contains(title) && !EVENTFUL_PANELS.contains(title)) {
        failures.add(title + ": no data");
      }
    }
    for (final String variable : new String[] {"job", "model"}) {
      final String metric = variable.equals("job") ? "gradstream_events_total"
          : "gradstream_model_loss_ewma";
      final JsonNode values = prometheus.get("/api/v1/label/" + variable + "/values?match[]="
          + URLEncoder.encode(metric, StandardCharsets.UTF_8));
      if (values.path("data").isEmpty()) {
        failures.add("variable " + variable + ": no values");
      }
    }
    int alerts = 0;
    for (final JsonNode group : prometheus.get("/api/v1/rules").path("data").path("groups")) {
      for (final JsonNode rule : group.path("rules")) {
        alerts++;
        metrics.addAll(metricNames(rule.path("query").asText()));
        if (!"ok".equals(rule.path("health").asText())) {
          failures.add("alert " + rule.path("name").asText() + ": " + rule.path("health")
              + " " + rule.path("lastError"));
        }
      }
    }
    assertThat(alerts).as("alert rules loaded").isEqualTo(countAlerts());
    // a rule or panel over a metric that is not there is "ok" and shows nothing: each must be
    // scraped (a Kafka or Micrometer upgrade that renames one fails here)
    for (final String metric : metrics) {
      final boolean network = metric.startsWith("gradstream_model_layer")
          || metric.equals("gradstream_model_dead_units");
      final JsonNode found = prometheus.query("count({__name__=\"" + metric + "\"})");
      if (!network && found.path("data").path("result").isEmpty()) {
        failures.add("metric " + metric + " is named by a panel or rule but not scraped");
      }
    }
    assertThat(metrics).as("metrics named").contains("kafka_stream_client_state",
        "kafka_stream_failed_stream_threads_total",
        "kafka_consumer_fetch_manager_records_lag_max", "kafka_stream_alive_stream_threads");
    final JsonNode fired = prometheus.query("max_over_time(ALERTS{alertstate=\"firing\"}["
        + (System.nanoTime() - watched) / 1_000_000_000L + "s])");
    if (!fired.path("data").path("result").isEmpty()) {
      failures.add("alerts fired on a healthy run: " + fired.path("data").path("result"));
    }
    assertThat(failures).as("dashboard panels and alerts").isEmpty();
  }

  @Test
  void eachAlertFiresOnItsConditionAndThePanelsShowTheValuesFed() throws Exception {
    final Path prometheusBinary = prometheus();
    final JsonNode dashboard = JSON.readTree(
        MONITORING.resolve("grafana/dashboards/gradstream.json").toFile());
    try (KafkaTestCluster kafka = KafkaTestCluster.start(1);
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("training-events", 1, (short) 1),
          new NewTopic("training-events-dlq", 1, (short) 1).configs(Map.of(
              TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2048")))).all().get();
      final int appPort = EmbeddedKafka.freePort();
      // identity, no bias, a rate so small that w stays 0: the loss of an event is ½d², its
      // gradient's norm |d| (x = [1, 0])
      try (ServiceProcess service = ServiceProcess.start(dir.resolve("service.log"),
          Map.of("KAFKA_SESSION_TIMEOUT_MS", "10000"), appPort, "run", "--bootstrap-servers",
          kafka.bootstrapServers(), "--state-dir", dir.resolve("state").toString(),
          "--input-format", "json", "--features", "2", "--activation", "identity",
          "--learning-rate", "1e-12")) {
        service.awaitReady(Duration.ofSeconds(90));
        drive(service, admin, Prometheus.start(prometheusBinary, dir, appPort), dashboard,
            new Feeder(kafka.bootstrapServers(), 300));
      }
    }
  }

  private static void drive(final ServiceProcess service, final Admin admin,
      final Prometheus prometheusStarted, final JsonNode dashboard, final Feeder feederMade)
      throws Exception {
    try (Prometheus prometheus = prometheusStarted; Feeder feeder = feederMade) {
      final Set<String> fired = new TreeSet<>();
      feeder.start();
      watch(prometheus, fired, Duration.ofSeconds(30));

      final List<String> failures = new ArrayList<>();
      // events/s: 300 fed, of which 8% garbage and 5% predictions
      final double trained = value(prometheus, panelExpr(dashboard, "Events/s by outcome", 0),
          "outcome", "trained");
      failures.addAll(near("trained events/s", trained, 300 * 0.87, 0.15));
      final double dead = value(prometheus, panelExpr(dashboard, "Dead letters/s by reason",
          0), "reason", "undecodable");
      failures.addAll(near("undecodable dead letters/s", dead, 300 * 0.08, 0.25));
      final double meanLoss = value(prometheus, panelExpr(dashboard, "Mean loss, all models",
          0), null, null);
      failures.addAll(near("mean loss", meanLoss, Arrays.stream(LOSSES).average()
          .orElseThrow(), 0.05));
      for (final int[] q : new int[][] {{0, 50}, {1, 90}}) {
        final double shown = value(prometheus, panelExpr(dashboard, "Gradient norm", q[0]),
            null, null);
        final double truth = Math.sqrt(2 * quantile(LOSSES, q[1] / 100.0));
        failures.addAll(withinABucket("gradient norm p" + q[1], shown, truth));
      }
      final double latency = value(prometheus, panelExpr(dashboard,
          "Latency, event time to step", 0), null, null);
      if (!(latency > 0 && latency < 1)) {
        failures.add("median latency " + latency + " s");
      }
      failures.addAll(near("Streams state (2 = RUNNING)", value(prometheus,
          panelExpr(dashboard, "Kafka Streams state", 0), null, null), 2, 0));
      failures.addAll(near("alive stream threads", value(prometheus,
          panelExpr(dashboard, "Stream threads", 0), null, null), 1, 0));
      failures.addAll(near("predictions/s", value(prometheus,
          panelExpr(dashboard, "Predictions/s by outcome", 0), "outcome", "served"),
          300 * 0.05, 0.25));

      // a thread death (a dead letter larger than its topic takes): the thread is replaced
      // after the session timeout, during which the input piles up
      feeder.poison();
      awaitFiring(prometheus, fired, "GradstreamStreamThreadDied", Duration.ofSeconds(60));
      ThreadDeathIT.limitMessageBytes(admin, "training-events-dlq", 1_048_576);
      // the consumer reports its lag after each fetch, which takes up to a megabyte of a
      // partition: what piled up during the stall (3,000 small events) fits in one, so a
      // backlog beyond a fetch is sent at once
      feeder.burst(200_000);
      double lag = Double.NaN;
      final long lagDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!(lag > 1000) && System.nanoTime() < lagDeadline) {
        addFiring(prometheus, fired);
        Thread.sleep(500);
        lag = value(prometheus, panelExpr(dashboard, "Consumer lag (records)", 0), null, null);
      }
      if (!(lag > 1000)) {
        failures.add("consumer lag after a backlog of 200,000 events: " + lag);
      }
      // the replaced thread's consumer said NaN until its first fetch, inside the rule's window
      awaitFiring(prometheus, fired, "GradstreamConsumerLagGrowing", Duration.ofSeconds(60));
      // the losses of one model ten times their size: its moving average doubles
      feeder.scale(Math.sqrt(10));
      awaitFiring(prometheus, fired, "GradstreamModelLossDiverging", Duration.ofSeconds(90));
      feeder.close();
      service.kill();
      awaitFiring(prometheus, fired, "GradstreamDown", Duration.ofSeconds(30));

      System.out.printf("alerts fired: %s; trained %.1f/s, dead letters %.1f/s, mean loss %.4f,"
          + " latency %.3f s, lag %.0f%n", fired, trained, dead, meanLoss, latency, lag);
      assertThat(failures).as("panels against the values fed").isEmpty();
      // with a rate of 1e-12 every model predicts 0 for labels above 0: its R² over its window
      // is below 0, worse than the mean of its labels, and GradstreamModelBelowThreshold says so
      assertThat(fired).as("exactly the alerts whose conditions were caused")
          .containsExactlyInAnyOrder("GradstreamDeadLetterRateHigh",
              "GradstreamNonFiniteStepsRefused", "GradstreamStreamThreadDied",
              "GradstreamConsumerLagGrowing", "GradstreamModelLossDiverging", "GradstreamDown",
              "GradstreamModelBelowThreshold");
    }
  }

  @Test
  void alertRulesPassPromtoolsCheckAndTheirUnitTests() throws Exception {
    final Path promtool = Path.of("/usr/bin/promtool");
    assumeTrue(Files.isExecutable(promtool) || "true".equals(System.getenv("CI")),
        "Debian's prometheus package is not installed (.ci/run installs it)");
    for (final List<String> command : List.of(
        List.of(promtool.toString(), "check", "rules", RULES.toString()),
        List.of(promtool.toString(), "test", "rules",
            MONITORING.resolve("prometheus/tests/gradstream.rules.test.yml").toString()))) {
      final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
      assertThat(output).contains("SUCCESS");
    }
  }

  /**
   * Feeds one model at a steady rate: x = [1, 0] and d = ±√(2L) for the losses L in turn, 8%
   * garbage, 5% predictions each labelled (with the next d) five events later, and, once, three
   * events whose step overflows.
   */
  private static final class Feeder extends Thread implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final int perSecond;
    private final AtomicBoolean poison = new AtomicBoolean();
    private volatile double scale = 1;
    private volatile boolean running = true;
    private long labels;

    Feeder(final String bootstrap, final int perSecond) {
      super("feeder");
      this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms",
          "5"), new ByteArraySerializer(), new ByteArraySerializer());
      this.perSecond = perSecond;
    }

    void poison() {
      poison.set(true);
    }

    /** {@code n} events at once, from the calling thread, with the losses of the cycle. */
    void burst(final int n) {
      for (int i = 0; i < n; i++) {
        final double d = Math.sqrt(2 * LOSSES[i % LOSSES.length]);
        send(("{\"x\": [1, 0], \"d\": " + d + "}").getBytes(StandardCharsets.UTF_8));
      }
      producer.flush();
    }

    void scale(final double factor) {
      scale = factor;
    }

    @Override
    public void run() {
      final long start = System.nanoTime();
      for (long i = 0; running; i++) {
        final long wait = start + (long) (i * 1e9 / perSecond) - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          } catch (final InterruptedException e) {
            return;
          }
        }
        final String value;
        if (i == 500 || i == 501 || i == 502) {
          value = "{\"x\": [1e308, 0], \"d\": 3}";
        } else if (i % 100 < 8) {
          value = "{\"x\": [1, 0], \"d\": ";
        } else if (i % 100 < 13) {
          value = "{\"id\": \"p" + i + "\", \"x\": [1, 0]}";
        } else if (i % 100 < 18) {
          value = "{\"id\": \"p" + (i - 5) + "\", \"d\": " + nextLabel() + "}";
        } else {
          value = "{\"x\": [1, 0], \"d\": " + nextLabel() + "}";
        }
        send(value.getBytes(StandardCharsets.UTF_8));
        if (poison.getAndSet(false)) {
          final byte[] big = new byte[5000];
          Arrays.fill(big, (byte) '{');
          send(big);
        }
      }
    }

    /** ±√(2L) for the next loss L of the cycle: the loss of a step from w = 0 is L. */
    private double nextLabel() {
      final double d = scale * Math.sqrt(2 * LOSSES[(int) (labels % LOSSES.length)]);
      return labels++ % 2 == 0 ? d : -d;
    }

    private void send(final byte[] value) {
      producer.send(new ProducerRecord<>("training-events", "m".getBytes(StandardCharsets.UTF_8),
          value));
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      join(5000);
      producer.close();
    }
  }

  /** Prometheus with the repository's configuration and rules, time scaled, scraping a port. */
  private record Prometheus(Process process, String api) implements AutoCloseable {
    static Prometheus start(final Path binary, final Path dir, final int appPort)
        throws Exception {
      final Path rules = dir.resolve("gradstream.rules.yml");
      Files.writeString(rules, scaled(Files.readString(RULES)));
      final Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, Files.readString(MONITORING.resolve("prometheus/prometheus.yml"))
          .replace("localhost:8080", "localhost:" + appPort)
          .replace("scrape_interval: 5s", "scrape_interval: 1s")
          .replace("evaluation_interval: 5s", "evaluation_interval: 1s")
          .replace("rules/gradstream.rules.yml", rules.toAbsolutePath().toString()));
      final int port = EmbeddedKafka.freePort();
      final Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("tsdb-" + port),
          "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
          .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
      final Prometheus prometheus = new Prometheus(process, "http://127.0.0.1:" + port);
      prometheus.awaitReady(Duration.ofSeconds(30));
      // its discovery hands the target to the scraper after up to five seconds, which the
      // scaled GradstreamDown (absent(up) for 2 s) takes for a missing target: the watch starts
      // once the service is scraped and that alert has been evaluated again
      final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (prometheus.query("up{job=\"gradstream\"} == 1").path("data").path("result")
          .isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("Prometheus did not scrape the service within 30 s");
        }
        Thread.sleep(200);
      }
      Thread.sleep(2000);
      return prometheus;
    }

    /** A minute of the rules' time is a second of the test's. */
    static String scaled(final String rules) {
      final String scaled = rules.replaceAll("for: ([0-9]+)m", "for: $1s")
          .replaceAll("for: ([0-9]+)h", "for: $1m").replace(":1m])", ":1s])");
      assertThat(scaled).as("the rules have durations to scale").isNotEqualTo(rules);
      return scaled;
    }

    JsonNode query(final String promQl) throws Exception {
      return get("/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8));
    }

    JsonNode get(final String path) throws Exception {
      final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + path))
          .build(), HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    }

    private void awaitReady(final Duration limit) throws Exception {
      final long deadline = System.nanoTime() + limit.toNanos();
      while (System.nanoTime() < deadline) {
        try {
          if (HTTP.send(HttpRequest.newBuilder(URI.create(api + "/-/ready")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (final IOException notYet) {
          // still starting
        }
        Thread.sleep(200);
      }
      throw new AssertionError("Prometheus not ready within " + limit);
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Path prometheus() {
    final Path binary = Path.of("/usr/bin/prometheus");
    assumeTrue(Files.isExecutable(binary) || "true".equals(System.getenv("CI")),
        "Debian's prometheus package is not installed (.ci/run installs it)");
    assertThat(binary).isExecutable();
    return binary;
  }

  /** Polls the firing alerts for {@code how long}, adding each one's name to {@code fired}. */
  private static void watch(final Prometheus prometheus, final Set<String> fired,
      final Duration howLong) throws Exception {
    final long until = System.nanoTime() + howLong.toNanos();
    while (System.nanoTime() < until) {
      addFiring(prometheus, fired);
      Thread.sleep(500);
    }
  }

  private static void awaitFiring(final Prometheus prometheus, final Set<String> fired,
      final String alert, final Duration limit) throws Exception {
    final long until = System.nanoTime() + limit.toNanos();
    while (!fired.contains(alert)) {
      if (System.nanoTime() > until) {
        throw new AssertionError(alert + " did not fire within " + limit + "; fired: " + fired);
      }
      addFiring(prometheus, fired);
      Thread.sleep(500);
    }
  }

  private static void addFiring(final Prometheus prometheus, final Set<String> fired)
      throws Exception {
    for (final JsonNode alert : prometheus.get("/api/v1/alerts").path("data").path("alerts")) {
      if ("firing".equals(alert.path("state").asText())) {
        fired.add(alert.at("/labels/alertname").asText());
      }
    }
  }

  /** The panel's query as Grafana sends it; the value of the series whose label matches. */
  private static double value(final Prometheus prometheus, final String expr, final String label,
      final String labelValue) throws Exception {
    final JsonNode result = prometheus.query(expr).path("data").path("result");
    for (final JsonNode series : result) {
      if (label == null || labelValue.equals(series.path("metric").path(label).asText())) {
        return Double.parseDouble(series.path("value").get(1).asText());
      }
    }
    return Double.NaN;
  }

  private static String panelExpr(final JsonNode dashboard, final String title,
      final int target) {
    for (final JsonNode panel : panels(dashboard)) {
      if (panel.get("title").asText().equals(title)) {
        return grafanaToPromQl(panel.get("targets").get(target).get("expr").asText());
      }
    }
    throw new AssertionError("no panel " + title);
  }

  private static List<JsonNode> panels(final JsonNode dashboard) {
    final List<JsonNode> panels = new ArrayList<>();
    for (final JsonNode panel : dashboard.get("panels")) {
      if (!panel.path("type").asText().equals("row")) {
        panels.add(panel);
      }
    }
    return panels;
  }

  private static List<String> near(final String what, final double shown, final double truth,
      final double tolerance) {
    return Math.abs(shown - truth) <= tolerance * Math.abs(truth) ? List.of()
        : List.of(what + ": shown " + shown + ", fed " + truth);
  }

  /** Within the 1-2-5 bucket around the truth: a factor of 2.5 at most. */
  private static List<String> withinABucket(final String what, final double shown,
      final double truth) {
    return shown >= truth / 2.5 && shown <= truth * 2.5 ? List.of()
        : List.of(what + ": shown " + shown + ", true " + truth);
  }

  private static double quantile(final double[] sorted, final double q) {
    return sorted[(int) Math.ceil(q * sorted.length) - 1];
  }

  /** What Grafana does to a query before it reaches Prometheus: the variables, all selected. */
  static String grafanaToPromQl(final String expr) {
    return expr.replace("$__rate_interval", "15s").replace("$job", ".*").replace("$model", ".*");
  }

  /** The metric names in a query: its identifiers that are neither functions nor labels. */
  static Set<String> metricNames(final String promQl) {
    final Set<String> names = new TreeSet<>();
    final Matcher m = Pattern.compile("(?<![\\w\"$.:])([a-z_:][a-z0-9_:]*)(?![\\w\"(:])")
        .matcher(promQl.replaceAll("\"[^\"]*\"", "\"\""));
    while (m.find()) {
      final String name = m.group(1);
      if (!PROMQL_WORDS.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  private static int countAlerts() throws IOException {
    final Matcher m = Pattern.compile("(?m)^\\s*- (alert|record):")
        .matcher(Files.readString(RULES));
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
