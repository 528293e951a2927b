package io.gradstream.http;

import io.gradstream.query.ModelLookup;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.events.ModelControl;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.query.ModelJson;
import io.gradstream.ui.LiveView;
import io.gradstream.ui.PageAssets;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The service's HTTP face: {@code /metrics} for Prometheus, {@code /health/live} and {@code
 * /health/ready} for Kubernetes probes, {@code /models} and {@code /models/{key}} for the models,
 * {@code POST /models/{key}/predict} for predictions from the committed model ({@link
 * PredictRequest}). A model held by another instance of the application is fetched from it (see
 * {@link ModelLookup}). Jetty serves it: keep-alive connections and a pool of threads, so that a
 * thousand predictions a second cost about a millisecond each.
 */
public final class HttpApi implements AutoCloseable {
  private static final String JSON = "application/json";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String PREDICT = "/predict";
  private static final String RESET = "/reset";
  private static final String LIVE_API = "/ui/api/";

  /** The header that names the instances whose keys are missing from {@code GET /models}. */
  public static final String UNANSWERED = "Gradstream-Unanswered-Instances";

  private final Server server;
  private final ServerConnector connector;
  /**
   * Requests for models, which may wait for another instance, run here and not on Jetty's
   * threads: probes and {@code /metrics} never queue behind a hung peer.
   */
  private final ThreadPoolExecutor modelRequests = new ThreadPoolExecutor(4, 4, 30,
      TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), runnable -> {
        final Thread t = new Thread(runnable, "gradstream-models");
        t.setDaemon(true);
        return t;
      });

  /** @param spec how the models predict */
  public HttpApi(final int port, final Supplier<String> prometheusScrape,
      final BooleanSupplier ready, final ModelLookup models, final ModelSpec spec)
      throws IOException {
    this(null, port, prometheusScrape, ready, models, spec);
  }

  /** @param host the address to listen on; null for every address */
  public HttpApi(final String host, final int port, final Supplier<String> prometheusScrape,
      final BooleanSupplier ready, final ModelLookup models, final ModelSpec spec)
      throws IOException {
    this(host, port, prometheusScrape, ready, models, spec, null);
  }

  /** @param live the live page's data, served at {@code /} and {@code /ui}; null for no page */
  public HttpApi(final String host, final int port, final Supplier<String> prometheusScrape,
      final BooleanSupplier ready, final ModelLookup models, final ModelSpec spec,
      final LiveView live) throws IOException {
    this(host, port, prometheusScrape, ready, models, spec, live, null);
  }

  /** @param admin the operators' actions on single models; null when they are off */
  public HttpApi(final String host, final int port, final Supplier<String> prometheusScrape,
      final BooleanSupplier ready, final ModelLookup models, final ModelSpec spec,
      final LiveView live, final ModelAdmin.Access admin) throws IOException {
    this(host, port, prometheusScrape, () -> "starting");
    attach(() -> ready.getAsBoolean() ? null : "not running", models, spec, live, admin);
  }

  /**
   * What the running service offers over HTTP; until {@link #attach} only the probes and {@code
   * /metrics} answer.
   */
  private record Served(Supplier<String> notReady, ModelLookup models, PredictRequest predict,
      LiveView live, PageAssets assets, ModelAdmin.Access admin, String predictToken) {}

  private volatile Served served;
  private final Supplier<String> prometheusScrape;
  private final Supplier<String> waiting;

  /**
   * The server of a service that is not running yet (waiting for Kafka, checking its stored
   * models): {@code /health/live} is 200, {@code /health/ready} 503 with {@code waiting}'s reason,
   * {@code /metrics} answers, and the rest is a 503 that says why, so that an orchestrator waits
   * instead of restarting the process.
   *
   * @param host the address to listen on; null for every address
   * @param waiting why the service is not running yet
   */
  public HttpApi(final String host, final int port, final Supplier<String> prometheusScrape,
      final Supplier<String> waiting) throws IOException {
    this.prometheusScrape = prometheusScrape;
    this.waiting = waiting;
    final QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("gradstream-http");
    threads.setDaemon(true);
    server = new Server(threads);
    final HttpConfiguration config = new HttpConfiguration();
    // Jetty reuses a header value seen earlier on the connection when the new one differs only
    // in case: a bearer token "Bearer S3cret" would then be read as an earlier "Bearer s3cret"
    config.setHeaderCacheCaseSensitive(true);
    // a model id may hold any character: %2F is a '/' inside the key, not a path separator
    config.setUriCompliance(UriCompliance.DEFAULT.with("model ids",
        UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
        UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
        UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    modelRequests.allowCoreThreadTimeOut(true);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(final Request request, final Response response,
          final Callback callback) {
        final String path = request.getHttpURI().getPath();
        final Served now = served;
        final PageAssets.Asset asset = now == null || now.assets() == null ? null
            : now.assets().at(path);
        if (asset != null) {
          send(response, callback, new Reply(200, asset.contentType(), asset.bytes(), null, null));
          return true;
        }
        if (now == null || !path.startsWith("/models") && !path.startsWith(LIVE_API)) {
          send(response, callback, route(request, now));
          return true;
        }
        try {
          modelRequests.execute(() -> send(response, callback, route(request, now)));
        } catch (final RejectedExecutionException e) {
          send(response, callback, error(503, "too many model requests at once; retry"));
        }
        return true;
      }
    });
    // Jetty's own refusals (a malformed URI, a bad request line) answer in JSON too
    server.setErrorHandler((request, response, callback) -> {
      final Object status = request.getAttribute(ErrorHandler.ERROR_STATUS);
      final Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
      final int code = status instanceof Integer i ? i : response.getStatus();
      send(response, callback, error(code, message != null ? message.toString()
          : "bad request"));
      return true;
    });
    try {
      server.start();
    } catch (final Exception e) {
      close();
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BindException bind) {
          throw bind;
        }
      }
      throw new IOException("the HTTP server did not start: " + e.getMessage(), e);
    }
  }

  /** The one line an operator reads when the port is taken. */
  public static IOException inUse(final int port, final BindException cause) {
    return new IOException("HTTP port " + port + " is in use; choose another with --http-port",
        cause);
  }

  /**
   * The running service's parts, served from now on.
   *
   * @param notReady why the service is not ready (null when it is), asked at each probe
   * @param spec how the models predict
   * @param live the live page's data, served at {@code /} and {@code /ui}; null for no page
   * @param admin the operators' actions on single models; null when they are off
   */
  public void attach(final Supplier<String> notReady, final ModelLookup models,
      final ModelSpec spec, final LiveView live, final ModelAdmin.Access admin) {
    attach(notReady, models, spec, live, admin, null);
  }

  /** @param predictToken the bearer token predictions require; null for none */
  public void attach(final Supplier<String> notReady, final ModelLookup models,
      final ModelSpec spec, final LiveView live, final ModelAdmin.Access admin,
      final String predictToken) {
    served = new Served(notReady, models, new PredictRequest(spec), live,
        live == null ? null : PageAssets.load(), admin, predictToken);
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  private static void send(final Response response, final Callback callback, final Reply reply) {
    response.setStatus(reply.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    if (reply.header() != null) {
      response.getHeaders().put(reply.header(), reply.value());
    }
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
  }

  @Override
  public void close() {
    modelRequests.shutdownNow();
    try {
      server.stop();
    } catch (final Exception e) {
      // stopping is best effort: the process is on its way out
    }
  }

  /** @param header a header of the answer's own (and {@code value}), or null */
  private record Reply(int status, String contentType, byte[] body, String header,
      String value) {
    Reply(final int status, final String contentType, final String body) {
      this(status, contentType, body.getBytes(StandardCharsets.UTF_8), null, null);
    }
  }

  /**
   * The live page's data (read only): {@code overview?since=}, {@code models?search=&page=&size=}
   * and {@code models/{key}?since=}; {@code path} is what follows {@code /ui/api/}.
   */
  private static Reply liveApi(final Request request, final String path, final LiveView live)
      throws ModelLookup.UnavailableException, BadInput {
    if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
      return error(405, "the live page's data is read only: GET");
    }
    final Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    final String since = query.getValue("since");
    final double after;
    try {
      after = since == null || since.isEmpty() ? Double.NEGATIVE_INFINITY
          : Double.parseDouble(since);
    } catch (final NumberFormatException e) {
      throw new BadInput("since must be a time in epoch seconds, got '" + since + "'");
    }
    if (path.equals("overview")) {
      return new Reply(200, JSON, live.overview(after));
    }
    if (path.equals("models")) {
      return new Reply(200, JSON, live.models(query.getValue("search"),
          number(query, "page", 0), number(query, "size", 50)));
    }
    if (path.startsWith("models/") && path.length() > "models/".length()) {
      final String key = key("/models/" + path.substring("models/".length()), "");
      final String model = live.model(key, after);
      return model != null ? new Reply(200, JSON, model)
          : error(404, "unknown model '" + key + "'");
    }
    return error(404, "not found: " + LIVE_API + path);
  }

  private static int number(final Fields query, final String name, final int absent)
      throws BadInput {
    final String value = query.getValue(name);
    try {
      return value == null || value.isEmpty() ? absent : Integer.parseInt(value);
    } catch (final NumberFormatException e) {
      throw new BadInput(name + " must be a whole number, got '" + value + "'");
    }
  }

  /**
   * @param live the live page's data, or null when there is no page
   * @param admin the operators' actions, or null when they are off
   */
  private Reply route(final Request request, final Served served) {
    final String method = request.getMethod();
    final String path = request.getHttpURI().getPath();
    if (served == null) {
      return switch (path) {
        case "/metrics" -> new Reply(200, PROMETHEUS_TEXT, prometheusScrape.get());
        case "/health/live" -> new Reply(200, JSON, "{\"status\":\"UP\"}");
        case "/health/ready" -> down(waiting.get());
        default -> error(503, "not serving yet: " + waiting.get());
      };
    }
    final ModelLookup models = served.models();
    final PredictRequest predict = served.predict();
    final LiveView live = served.live();
    final ModelAdmin.Access admin = served.admin();
    try {
      if (live != null && path.startsWith(LIVE_API)) {
        return liveApi(request, path.substring(LIVE_API.length()), live);
      }
      // scope=local: a request another instance forwarded; answer from this instance alone
      final String query = request.getHttpURI().getQuery();
      final boolean localOnly = "scope=local".equals(query);
      if (query != null && !localOnly) {
        return error(400, "unknown query '" + query + "': the only one is scope=local");
      }
      if ("POST".equals(method) && path.startsWith("/models/") && path.endsWith(PREDICT)
          && path.length() > "/models/".length() + PREDICT.length()) {
        if (served.predictToken() != null && !ModelAdmin.bearer(served.predictToken(),
            request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
          return unauthorized("predictions need the token: Authorization: Bearer "
              + "<GRADSTREAM_HTTP_TOKEN>");
        }
        return predict(request, path, localOnly, models, predict);
      }
      if ("POST".equals(method) && path.startsWith("/models/") && path.endsWith(RESET)
          && path.length() > "/models/".length() + RESET.length()) {
        return control(request, key(path, RESET), ModelControl.RESET, admin);
      }
      if ("DELETE".equals(method) && path.startsWith("/models/")
          && path.length() > "/models/".length()) {
        return control(request, key(path, ""), ModelControl.DELETE, admin);
      }
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        return error(405, "only GET is served here (and POST /models/{key}/predict, and with "
            + "--admin-api POST /models/{key}/reset and DELETE /models/{key})");
      }
      if (path.startsWith("/models/") && path.endsWith(PREDICT)) {
        return error(405, "predictions are asked for with POST /models/{key}/predict and a "
            + "body such as {\"x\": [0.5]}");
      }
      return switch (path) {
        case "/metrics" -> new Reply(200, PROMETHEUS_TEXT, prometheusScrape.get());
        case "/health/live" -> new Reply(200, JSON, "{\"status\":\"UP\"}");
        case "/health/ready" -> {
          final String notReady = served.notReady().get();
          yield notReady == null ? new Reply(200, JSON, "{\"status\":\"UP\"}") : down(notReady);
        }
        case "/models", "/models/" -> keys(models.keys(localOnly));
        default -> path.startsWith("/models/") ? model(path, localOnly, models)
            : error(404, "not found: " + path);
      };
    } catch (final ModelLookup.UnavailableException e) {
      return error(503, e.getMessage());
    } catch (final PredictRequest.BadRequest | BadInput e) {
      return error(400, e.getMessage());
    } catch (final Exception e) {
      return error(500, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** The key list; the instances that did not answer are named in a header, not refused. */
  private static Reply keys(final ModelLookup.Keys keys) {
    return new Reply(200, JSON, ModelJson.MAPPER.valueToTree(keys.keys()).toString()
        .getBytes(StandardCharsets.UTF_8), keys.unanswered().isEmpty() ? null : UNANSWERED,
        String.join(", ", keys.unanswered()));
  }

  private static Reply model(final String path, final boolean localOnly,
      final ModelLookup models) throws ModelLookup.UnavailableException, BadInput {
    final String key = key(path, "");
    final Optional<Model> model = models.find(key, localOnly);
    return model.map(m -> new Reply(200, JSON, ModelJson.of(m).toString()))
        .orElseGet(() -> error(404, "unknown model '" + key + "'"));
  }

  /** An operator's action, sent to the stream once the request shows the admin token. */
  private static Reply control(final Request request, final String key,
      final ModelControl action, final ModelAdmin.Access admin) throws Exception {
    if (admin == null) {
      return error(403, "the admin API is off: start the service with --admin-api and a token "
          + "in GRADSTREAM_ADMIN_TOKEN");
    }
    if (!admin.allows(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      return unauthorized("this needs the admin token: Authorization: Bearer "
          + "<GRADSTREAM_ADMIN_TOKEN>");
    }
    final ModelAdmin.Sent sent = admin.admin().send(key, action);
    final ObjectNode body = ModelJson.MAPPER.createObjectNode();
    body.put("key", key);
    body.put("action", action.code());
    body.put("topic", sent.topic());
    body.put("partition", sent.partition());
    body.put("offset", sent.offset());
    body.put("status", "accepted: the stream applies it in order with the key's events");
    return new Reply(202, JSON, body.toString());
  }

  private static Reply predict(final Request request, final String path,
      final boolean localOnly, final ModelLookup models, final PredictRequest predict)
      throws IOException, ModelLookup.UnavailableException, PredictRequest.BadRequest, BadInput {
    final String key = key(path, PREDICT);
    final byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(PredictRequest.MAX_BODY_BYTES + 1);
    }
    if (body.length > PredictRequest.MAX_BODY_BYTES) {
      return error(413, "the body is larger than " + PredictRequest.MAX_BODY_BYTES + " bytes");
    }
    return new Reply(200, JSON, predict.answer(key, models.find(key, localOnly).orElse(null),
        body).toString());
  }

  /**
   * The model id in {@code /models/{key}<suffix>}, percent-decoded as a path is ('+' is a plus;
   * %2F a '/' in the key).
   */
  private static String key(final String path, final String suffix) throws BadInput {
    final String encoded = path.substring("/models/".length(), path.length() - suffix.length());
    try {
      return URIUtil.decodePath(encoded);
    } catch (final IllegalArgumentException e) {
      throw new BadInput("the model id '" + encoded + "' is not percent-encoded UTF-8");
    }
  }

  /** A model id in a path, or a query value, that does not parse. */
  private static final class BadInput extends Exception {
    BadInput(final String message) {
      super(message);
    }
  }

  /** A 401 with the challenge RFC 6750 asks for. */
  private static Reply unauthorized(final String message) {
    final Reply refused = error(401, message);
    return new Reply(refused.status(), JSON, refused.body(), "WWW-Authenticate",
        "Bearer realm=\"gradstream\"");
  }

  /** A readiness probe's "no", with the reason for a person. */
  private static Reply down(final String reason) {
    final ObjectNode body = ModelJson.MAPPER.createObjectNode();
    body.put("status", "DOWN");
    body.put("reason", reason);
    return new Reply(503, JSON, body.toString());
  }

  private static Reply error(final int status, final String message) {
    final ObjectNode body = ModelJson.MAPPER.createObjectNode();
    body.put("error", message);
    return new Reply(status, JSON, body.toString());
  }
}
