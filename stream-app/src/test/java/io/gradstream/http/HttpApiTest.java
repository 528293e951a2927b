package io.gradstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.features.FeatureHasher;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.features.HashedVector;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.query.ModelLookup;
import io.gradstream.replay.Replay;
import io.gradstream.ui.LiveSampler;
import io.gradstream.ui.LiveView;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.StringReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpApiTest {
  /** Two features, a bias starting at 0.5, weights at (1, −1): tanh. */
  private static final ModelSpec SPEC = new ModelSpec(2, true, Activation.TANH, 0.1,
      new double[] {1, -1}, 0.5);

  private final Map<String, Model> models = new TreeMap<>();
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final AtomicBoolean storeAvailable = new AtomicBoolean(true);
  private final AtomicBoolean lastLocalOnly = new AtomicBoolean();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient client = HttpClient.newHttpClient();
  private HttpApi api;
  private ModelLookup lookup;
  /** Instances the key list says did not answer. */
  private List<String> unanswered = List.of();
  /** Holds every key list until released, as a hung peer would. */
  private volatile CountDownLatch hold =
      new CountDownLatch(0);

  private void awaitRelease() {
    try {
      hold.await();
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private TrainingMeters meters;

  @BeforeEach
  void start() throws Exception {
    meters = new TrainingMeters(registry, 5);
    lookup = new ModelLookup() {
      @Override
      public Optional<Model> find(final String key, final boolean localOnly)
          throws UnavailableException {
        check();
        lastLocalOnly.set(localOnly);
        return Optional.ofNullable(models.get(key));
      }

      @Override
      public Keys keys(final boolean localOnly) throws UnavailableException {
        check();
        lastLocalOnly.set(localOnly);
        awaitRelease();
        return new Keys(List.copyOf(models.keySet()), unanswered);
      }

      private void check() throws UnavailableException {
        if (!storeAvailable.get()) {
          throw new UnavailableException("restoring", null);
        }
      }
    };
    api = HttpApi.serving(null, 0, registry::scrape,
        ServiceRoutes.models(ready::get, lookup, SPEC));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private HttpResponse<String> get(final String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + api.port() + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void modelsAnswerWithTheReplayObjectAnd404ForUnknownKeys() throws Exception {
    models.put("sensor 7", new Model(new double[] {0.1, -2.5}, true, 0.25, 12, 3.5));
    models.put("plain", new Model(new double[] {1e-300}, false, 0, 1, 0.125));

    final HttpResponse<String> one = get("/models/sensor%207");
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.headers().firstValue("Content-Type")).hasValue("application/json");
    final JsonNode m = new ObjectMapper().readTree(one.body());
    assertThat(m.get("w").get(0).asDouble()).isEqualTo(0.1);
    assertThat(m.get("w").get(1).asDouble()).isEqualTo(-2.5);
    assertThat(m.get("b").asDouble()).isEqualTo(0.25);
    assertThat(m.get("count").asLong()).isEqualTo(12);
    assertThat(m.get("lossSum").asDouble()).isEqualTo(3.5);

    final JsonNode plain = new ObjectMapper().readTree(get("/models/plain").body());
    assertThat(plain.get("b").isNull()).isTrue();
    assertThat(plain.get("w").get(0).asDouble()).isEqualTo(1e-300);

    final HttpResponse<String> unknown = get("/models/nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new ObjectMapper().readTree(unknown.body()).get("error").asText())
        .contains("unknown model 'nope'");

    assertThat(get("/models").body()).isEqualTo("[\"plain\",\"sensor 7\"]");
  }

  @Test
  void theLivePageAndItsDataAreServedFromTheJarReadOnly() throws Exception {
    api.close();
    final LiveView live = new LiveView(new LiveSampler(meters, lookup), meters.models(), lookup,
        SPEC);
    api = HttpApi.serving(null, 0, registry::scrape,
        ServiceRoutes.models(ready::get, lookup, SPEC).withLive(live));
    models.put("a b", new Model(new double[] {0.5, 2}, true, -0.25, 7, 1.0));

    for (final String page : new String[] {"/", "/ui", "/ui/"}) {
      final HttpResponse<String> r = get(page);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
      assertThat(r.body()).contains("<script src=\"/ui/uPlot.min.js\">")
          .doesNotContain("http://").doesNotContain("https://");
    }
    assertThat(get("/ui/uPlot.min.js").body()).contains("uPlot");
    assertThat(get("/ui/uPlot.min.css").statusCode()).isEqualTo(200);
    assertThat(get("/ui/app.js").body()).contains("textContent").doesNotContain("innerHTML");
    assertThat(get("/ui/style.css").statusCode()).isEqualTo(200);

    assertThat(new ObjectMapper().readTree(get("/ui/api/overview").body()).has("time")).isTrue();
    final JsonNode model = new ObjectMapper().readTree(get("/ui/api/models/a%20b").body());
    assertThat(model.get("now").get("steps").asLong()).isEqualTo(7);
    assertThat(get("/ui/api/models/nobody").statusCode()).isEqualTo(404);
    assertThat(get("/ui/api/models?page=x").statusCode()).isEqualTo(400);
    assertThat(get("/ui/api/overview?since=yesterday").statusCode()).isEqualTo(400);
    assertThat(get("/ui/api/models/%C3%28").statusCode()).isEqualTo(400);
    assertThat(get("/ui/api/nothing").statusCode()).isEqualTo(404);
    assertThat(post("/ui/api/overview", "{}").statusCode()).isEqualTo(405);
  }

  private HttpResponse<String> post(final String path, final String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + api.port() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aHashedModelPredictsFromNamedFeatures() throws Exception {
    final ModelSpec hashed = new ModelSpec(1 << 20, true, Activation.IDENTITY, 0.5, null, 0.0,
        Loss.SQUARED, OptimizerSettings.sgd(), HiddenLayers.NONE, FeatureHashing.of(20));
    final Replay replay = new Replay(hashed);
    replay.train(new StringReader("{\"key\": \"u\", \"features\": {\"a\": 1}, \"d\": 1}\n"),
        (line, reason, detail) -> { });
    models.put("u", replay.models().get("u"));
    api.close();
    api = HttpApi.serving(null, 0, registry::scrape,
        ServiceRoutes.models(ready::get, lookup, hashed));
    // by hand: one step from 0 (identity, η = ½, d = 1): w_a = ½·s, b = ½ (s the hash's sign);
    // then {"a": 2}: y = ½ + ½·s·2·s = 1.5, whatever s is
    final JsonNode y = new ObjectMapper().readTree(post("/models/u/predict",
        "{\"features\": {\"a\": 2, \"unseen\": \"x\"}}").body());
    assertThat(y.get("y").asDouble()).isEqualTo(1.5);
    assertThat(y.get("modelStep").asLong()).isEqualTo(1);
    final HttpResponse<String> dense = post("/models/u/predict", "{\"x\": [1]}");
    assertThat(dense.statusCode()).isEqualTo(400);
    assertThat(dense.body()).contains("expected \\\"features\\\": {..}");
    final HttpResponse<String> nested = post("/models/u/predict",
        "{\"features\": {\"a\": [1]}}");
    assertThat(nested.statusCode()).isEqualTo(400);
    assertThat(nested.body()).contains("feature \\\"a\\\" is an array");
    assertThat(post("/models/u/predict", "{\"features\": {\"a\": \"NaN\"}}").body())
        .contains("non-finite-feature: a feature is NaN or infinite");
  }

  @Test
  void explainListsEachTermOfAScaledHashedPredictionLargestFirst() throws Exception {
    final ModelSpec hashed = new ModelSpec(1 << 20, true, Activation.IDENTITY, 0.5, null, 0.0,
        Loss.SQUARED, OptimizerSettings.sgd(), HiddenLayers.NONE,
        new FeatureHashing(20, List.of(FeatureHashing.Interaction.parse("a:c")), 10),
        FeatureScaling.STANDARD);
    final Replay replay = new Replay(hashed);
    replay.train(new StringReader("""
        {"key": "u", "features": {"a": 1, "c": "x"}, "d": 1}
        {"key": "u", "features": {"a": 3, "c": "x"}, "d": 0}
        """), (line, reason, detail) -> { });
    models.put("u", replay.models().get("u"));
    api.close();
    api = HttpApi.serving(null, 0, registry::scrape,
        ServiceRoutes.models(ready::get, lookup, hashed));
    // by hand (identity, η = ½, s the sign of each term's hash, which squares away): step 1, a's
    // first value scales to 0, so only c=x (1) moves: w_cx = ½·s_cx, b = ½. Step 2: a's values
    // 1, 3 (mean 2, variance 1) scale 3 to 1; net = ½ + ½ = 1, d = 0: w_a = −½·s_a, w_cx = 0,
    // w_a^cx = −½·s_a^cx, b = 0. Explained {"a": 4, "c": "x"}: a scales to 2; contributions
    // a 2·(−½) = −1, a^c=x 2·1·(−½) = −1, c=x 0; net = y = −2
    final JsonNode why = new ObjectMapper().readTree(post("/models/u/explain",
        "{\"features\": {\"a\": 4, \"c\": \"x\"}}").body());
    assertThat(why.get("y").asDouble()).isEqualTo(-2.0);
    assertThat(why.get("net").asDouble()).isEqualTo(-2.0);
    assertThat(why.get("bias").asDouble()).isZero();
    assertThat(why.get("modelStep").asLong()).isEqualTo(2);
    final JsonNode terms = why.get("terms");
    assertThat(terms).extracting(t -> t.get("term").asText())
        .containsExactly("a", "a^c=x", "c=x");
    assertThat(terms).extracting(t -> t.get("value").asDouble()).containsExactly(2.0, 2.0, 1.0);
    assertThat(terms).extracting(t -> t.get("contribution").asDouble())
        .containsExactly(-1.0, -1.0, 0.0);
    final FeatureHasher hasher = new FeatureHasher(20);
    for (final JsonNode t : terms) {
      final HashedVector one = new HashedVector();
      hasher.number(t.get("term").asText(), 1.0, one);
      assertThat(t.get("coordinate").asInt()).isEqualTo(one.coordinate(0));
      assertThat(t.get("sign").asInt()).isEqualTo((int) Math.signum(one.value(0)));
      assertThat(t.get("weight").asDouble()).isEqualTo(models.get("u").sparse()
          .weightAt(one.coordinate(0)));
    }
    // the model shows its scaler
    final JsonNode a = new ObjectMapper().readTree(get("/models/u").body()).get("scale").get("a");
    assertThat(a.get("count").asLong()).isEqualTo(2);
    assertThat(a.get("mean").asDouble()).isEqualTo(2.0);
    assertThat(a.get("variance").asDouble()).isEqualTo(1.0);
    assertThat(a.get("m2").asDouble()).isEqualTo(2.0);
    // refused as a prediction would be
    assertThat(post("/models/u/explain", "{\"features\": {\"a\": 1, \"a\": 2}}").body())
        .contains("duplicate-feature: the event gives number \\\"a\\\" twice");
    assertThat(post("/models/u/explain", "{\"x\": [1]}").statusCode()).isEqualTo(400);
    // a key never trained: every weight 0, every contribution 0
    final JsonNode fresh = new ObjectMapper().readTree(post("/models/new/explain",
        "{\"features\": {\"c\": \"y\"}}").body());
    assertThat(fresh.get("y").asDouble()).isZero();
    assertThat(fresh.get("terms").get(0).get("term").asText()).isEqualTo("c=y");
  }

  @Test
  void explainIsForHashedModels() throws Exception {
    models.put("s", new Model(new double[] {0.5, 2}, true, -0.25, 7, 1.0));
    final HttpResponse<String> r = post("/models/s/explain", "{\"features\": {\"a\": 1}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("explain is for hashed models (--hash-bits)");
  }

  @Test
  void predictAnswersFromTheCommittedModelOrTheInitialWeights() throws Exception {
    models.put("s 1", new Model(new double[] {0.5, 2}, true, -0.25, 7, 1.0));
    final ObjectMapper json = new ObjectMapper();

    final HttpResponse<String> one = post("/models/s%201/predict", "{\"x\": [2, 0.125]}");
    assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
    final JsonNode answer = json.readTree(one.body());
    assertThat(answer.get("key").asText()).isEqualTo("s 1");
    // tanh(0.5·2 + 2·0.125 − 0.25) = tanh(1)
    assertThat(answer.get("y").asDouble()).isEqualTo(StrictMath.tanh(1.0));
    assertThat(answer.get("modelStep").asLong()).isEqualTo(7);

    final JsonNode many = json.readTree(post("/models/s%201/predict",
        "{\"instances\": [[0, 0], [1, 0]]}").body());
    assertThat(many.get("predictions").get(0).asDouble()).isEqualTo(StrictMath.tanh(-0.25));
    assertThat(many.get("predictions").get(1).asDouble()).isEqualTo(StrictMath.tanh(0.25));
    assertThat(many.get("modelStep").asLong()).isEqualTo(7);

    // a key never trained: the initial weights, tanh(1·1 − 1·3 + 0.5)
    final JsonNode fresh = json.readTree(post("/models/new/predict", "{\"x\": [1, 3]}").body());
    assertThat(fresh.get("y").asDouble()).isEqualTo(StrictMath.tanh(-1.5));
    assertThat(fresh.get("modelStep").asLong()).isZero();
    assertThat(models).doesNotContainKey("new");
  }

  /** A 1-2-1 network, tanh hidden units, identity output: its layers on /models, its y. */
  @Test
  void aNetworkIsServedAsItsLayersAndPredictsThroughThem() throws Exception {
    // W1 = [[1], [−1]], b1 = [0, 0.5], W2 = [[2, 3]], b2 = [−1]
    final double[] p = {1, -1, 0, 0.5, 2, 3, -1};
    final ModelSpec network = new ModelSpec(1, false, Activation.IDENTITY, 0.1, null, 0,
        Loss.SQUARED, OptimizerSettings.sgd(),
        new HiddenLayers(new int[] {2}, Activation.TANH, 42L, p));
    models.put("n", Model.network(network.layers(), new double[] {1, -1, 0, 0.5, 2, 3, -2}, 4,
        0.5, new double[0]));
    api.close();
    api = HttpApi.serving(null, 0, registry::scrape,
        ServiceRoutes.models(ready::get, lookup, network));
    final ObjectMapper json = new ObjectMapper();

    final JsonNode m = json.readTree(get("/models/n").body());
    assertThat(m.get("layers").get(0).get("w").toString()).isEqualTo("[[1.0],[-1.0]]");
    assertThat(m.get("layers").get(0).get("b").toString()).isEqualTo("[0.0,0.5]");
    assertThat(m.get("layers").get(1).get("w").toString()).isEqualTo("[[2.0,3.0]]");
    assertThat(m.get("layers").get(1).get("b").toString()).isEqualTo("[-2.0]");
    assertThat(m.get("count").asLong()).isEqualTo(4);
    assertThat(m.has("w")).isFalse();

    // y = b2 + 2·tanh(0.5) + 3·tanh(−0.5 + 0.5)
    final JsonNode y = json.readTree(post("/models/n/predict", "{\"x\": [0.5]}").body());
    assertThat(y.get("y").asDouble()).isEqualTo(-2 + 2 * StrictMath.tanh(0.5));
    assertThat(y.get("modelStep").asLong()).isEqualTo(4);
    // a key never trained starts from the network's starting parameters (b2 = −1)
    final JsonNode fresh = json.readTree(post("/models/new/predict", "{\"x\": [0.5]}").body());
    assertThat(fresh.get("y").asDouble()).isEqualTo(-1 + 2 * StrictMath.tanh(0.5));
    final HttpResponse<String> wrong = post("/models/n/predict", "{\"x\": [0.5, 1]}");
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(wrong.body()).contains("x has 2 values, the model has 1 feature");
  }

  /**
   * Keys are path segments: '+' is a plus, %2F a slash inside the key, a malformed escape or an
   * unknown query a JSON 400.
   */
  @Test
  void keysInPathsAreDecodedAsPathsAndEveryErrorIsJson() throws Exception {
    models.put("x+y", new Model(new double[] {1, 2}, true, 0, 1, 0));
    models.put("a/b c", new Model(new double[] {3, 4}, true, 0, 2, 0));
    models.put("€", new Model(new double[] {5, 6}, true, 0, 3, 0));
    final ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(get("/models/x+y").body()).get("count").asLong()).isEqualTo(1);
    assertThat(json.readTree(get("/models/x%2By").body()).get("count").asLong()).isEqualTo(1);
    assertThat(json.readTree(get("/models/a%2Fb%20c").body()).get("count").asLong())
        .isEqualTo(2);
    assertThat(json.readTree(get("/models/%E2%82%AC").body()).get("count").asLong())
        .isEqualTo(3);
    assertThat(post("/models/x+y/predict", "{\"x\": [0, 0]}").statusCode()).isEqualTo(200);
    for (final String path : new String[] {"/models?scope=bogus", "/models/x+y?scope=all"}) {
      final HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
      assertThat(json.readTree(r.body()).get("error").asText()).as(path).isNotBlank();
    }
    assertThat(json.readTree(get("/models?scope=bogus").body()).get("error").asText())
        .contains("the only one is scope=local");
    // escapes that do not decode (no HTTP client sends them: written on a socket), whether
    // Jetty refuses the request line itself or the key does not decode
    for (final String path : new String[] {"/models/%ZZ", "/models/%G", "/models/%C3%28"}) {
      try (Socket socket = new Socket("localhost", api.port())) {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        final String answer = new String(socket.getInputStream().readAllBytes(),
            StandardCharsets.UTF_8);
        assertThat(answer).as(path).startsWith("HTTP/1.1 400").contains("application/json")
            .contains("{\"error\":");
      }
    }
  }

  /**
   * Model requests that wait for a hung peer run apart from the probes: with more of them
   * waiting than Jetty has threads, /health/live and /metrics still answer at once.
   */
  @Test
  void probesAndMetricsNeverWaitBehindModelRequests() throws Exception {
    models.put("k", new Model(new double[] {1, 2}, true, 0, 1, 0));
    hold = new CountDownLatch(1);
    final List<CompletableFuture<HttpResponse<String>>> waiting =
        new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      waiting.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:"
          + api.port() + "/models")).build(), HttpResponse.BodyHandlers.ofString()));
    }
    Thread.sleep(500); // they are all in by now, and waiting
    assertThat(waiting).noneMatch(CompletableFuture::isDone);
    final HttpRequest live = HttpRequest.newBuilder(URI.create("http://localhost:" + api.port()
        + "/health/live")).timeout(Duration.ofSeconds(5)).build();
    assertThat(client.send(live, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    final HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://localhost:"
        + api.port() + "/metrics")).timeout(Duration.ofSeconds(5)).build();
    assertThat(client.send(metrics, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    assertThat(waiting).as("the model requests were still waiting when the probes answered")
        .noneMatch(CompletableFuture::isDone);
    hold.countDown();
    for (final CompletableFuture<HttpResponse<String>> r : waiting) {
      assertThat(r.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  /** Bound to one address, the API answers there and nowhere else. */
  @Test
  void itListensOnTheAddressItIsGiven() throws Exception {
    InetAddress other = null;
    for (final NetworkInterface nic : Collections.list(
        NetworkInterface.getNetworkInterfaces())) {
      for (final InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (!a.isLoopbackAddress() && a instanceof Inet4Address) {
          other = a;
        }
      }
    }
    try (HttpApi local = HttpApi.serving("127.0.0.1", 0, registry::scrape,
        ServiceRoutes.models(ready::get, lookup, SPEC))) {
      assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + local.port() + "/health/live")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(200);
      Assumptions.assumeTrue(other != null,
          "this machine has no address but loopback");
      final String elsewhere = "http://" + other.getHostAddress() + ":" + local.port()
          + "/health/live";
      Assertions.assertThatThrownBy(() -> client.send(HttpRequest
          .newBuilder(URI.create(elsewhere)).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
  }

  /** Instances that did not answer cost their own keys, named in a header, not a 503. */
  @Test
  void theKeyListNamesTheInstancesThatDidNotAnswer() throws Exception {
    models.put("mine", new Model(new double[] {1, 2}, true, 0, 1, 0));
    unanswered = List.of("10.0.0.7:8080", "10.0.0.8:8080");
    final HttpResponse<String> r = get("/models");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("[\"mine\"]");
    assertThat(r.headers().firstValue(HttpApi.UNANSWERED))
        .hasValue("10.0.0.7:8080, 10.0.0.8:8080");
    unanswered = List.of();
    assertThat(get("/models").headers().firstValue(HttpApi.UNANSWERED)).isEmpty();
  }

  @Test
  void aBadPredictRequestIs400WithAJsonErrorThatSaysWhat() throws Exception {
    final String[][] cases = {
        {"{\"x\": [1, 2", "the body is not JSON"},
        {"[1, 2]", "expected a JSON object"},
        {"{\"y\": 1}", "expected \"x\": [..] or \"instances\""},
        {"{\"x\": [1]}", "wrong-feature-count: x has 1 value, the model has 2 features"},
        {"{\"x\": [1, NaN]}", "non-finite-feature"},
        {"{\"x\": [1, 1e400]}", "non-finite-feature"},
        {"{\"x\": [1, \"2\"]}", "\"x\" must hold only numbers"},
        {"{\"instances\": [[1, 2], [3]]}", "instance 1: wrong-feature-count"},
        {"{\"instances\": []}", "\"instances\" is empty"},
    };
    for (final String[] c : cases) {
      final HttpResponse<String> r = post("/models/k/predict", c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(new ObjectMapper().readTree(r.body()).get("error").asText()).as(c[0])
          .contains(c[1]);
    }
    assertThat(post("/models/k", "{}").statusCode()).isEqualTo(405);
    final HttpResponse<String> got = get("/models/k/predict");
    assertThat(got.statusCode()).isEqualTo(405);
    assertThat(got.body()).contains("POST /models/{key}/predict");
    storeAvailable.set(false);
    assertThat(post("/models/k/predict", "{\"x\": [1, 2]}").statusCode()).isEqualTo(503);
  }

  @Test
  void scopeLocalAsksThisInstanceAlone() throws Exception {
    models.put("k", new Model(new double[] {1}, false, 0, 1, 0));
    get("/models/k");
    assertThat(lastLocalOnly).isFalse();
    get("/models/k?scope=local");
    assertThat(lastLocalOnly).isTrue();
    get("/models");
    assertThat(lastLocalOnly).isFalse();
    get("/models?scope=local");
    assertThat(lastLocalOnly).isTrue();
  }

  @Test
  void aStoreThatCannotBeReadNowIs503() throws Exception {
    storeAvailable.set(false);
    assertThat(get("/models/x").statusCode()).isEqualTo(503);
    assertThat(get("/models").statusCode()).isEqualTo(503);
  }

  @Test
  void readinessFollowsTheStreamsStateAndLivenessIsAlwaysUp() throws Exception {
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    ready.set(true);
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsAreInPrometheusTextFormat() throws Exception {
    final HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(r.body())
        .contains("gradstream_events_total{outcome=\"trained\",reason=\"none\"} 0")
        .contains("gradstream_events_total{outcome=\"invalid\",reason=\"non-finite-step\"} 0")
        .contains("gradstream_loss_bucket{le=\"1.0E-8\"}")
        .contains("gradstream_gradient_norm_count 0");
  }
}
