package io.gradstream.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.replay.ModelJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The service's HTTP face: {@code /metrics} for Prometheus, {@code /health/live} and {@code
 * /health/ready} for Kubernetes probes, {@code /models} and {@code /models/{key}} for the models,
 * {@code POST /models/{key}/predict} for predictions from the committed model ({@link
 * PredictRequest}).
 * The JDK's own server is enough for a handful of small read-only endpoints. A model held by
 * another instance of the application is fetched from it (see {@link ModelLookup}).
 */
public final class HttpApi implements AutoCloseable {
  private static final String JSON = "application/json";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  /** @param spec how the models predict */
  static {
    // the JDK server writes headers and body apart; with Nagle's algorithm on, a keep-alive
    // client then waits out the delayed ACK on every request (40 ms where 1 ms would do)
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  public HttpApi(final int port, final Supplier<String> prometheusScrape,
      final BooleanSupplier ready, final ModelLookup models, final ModelSpec spec)
      throws IOException {
    final PredictRequest predict = new PredictRequest(spec);
    server = HttpServer.create(new InetSocketAddress(port), 0);
    executor = Executors.newFixedThreadPool(2, r -> {
      final Thread t = new Thread(r, "gradstream-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/metrics", ex -> handle(ex, () ->
        new Response(200, PROMETHEUS_TEXT, prometheusScrape.get())));
    server.createContext("/health/live", ex -> handle(ex, () ->
        new Response(200, JSON, "{\"status\":\"UP\"}")));
    server.createContext("/health/ready", ex -> handle(ex, () -> ready.getAsBoolean()
        ? new Response(200, JSON, "{\"status\":\"UP\"}")
        : new Response(503, JSON, "{\"status\":\"DOWN\"}")));
    server.createContext("/models", ex -> {
      if ("POST".equals(ex.getRequestMethod()) && ex.getRequestURI().getRawPath().endsWith(PREDICT)) {
        respond(ex, predict(ex, models, predict));
      } else {
        handle(ex, () -> models(ex, models));
      }
    });
    server.start();
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static Response models(final HttpExchange ex, final ModelLookup models)
      throws ModelLookup.UnavailableException {
    final String path = ex.getRequestURI().getRawPath();
    // scope=local: a request another instance forwarded; answer from this instance alone
    final boolean localOnly = "scope=local".equals(ex.getRequestURI().getRawQuery());
    if (path.equals("/models") || path.equals("/models/")) {
      return new Response(200, JSON,
          ModelJson.MAPPER.valueToTree(models.keys(localOnly)).toString());
    }
    if (!path.startsWith("/models/")) {
      return error(404, "not found: " + path);
    }
    final String key = URLDecoder.decode(path.substring("/models/".length()),
        StandardCharsets.UTF_8);
    final Optional<Model> model = models.find(key, localOnly);
    return model.map(m -> new Response(200, JSON, ModelJson.of(m).toString()))
        .orElseGet(() -> error(404, "unknown model '" + key + "'"));
  }

  private static final String PREDICT = "/predict";

  private static Response predict(final HttpExchange ex, final ModelLookup models,
      final PredictRequest predict) throws IOException {
    final String path = ex.getRequestURI().getRawPath();
    if (!path.startsWith("/models/") || path.length() <= "/models/".length() + PREDICT.length()) {
      return error(404, "not found: " + path + " (POST /models/{key}/predict)");
    }
    final String key = URLDecoder.decode(path.substring("/models/".length(),
        path.length() - PREDICT.length()), StandardCharsets.UTF_8);
    final byte[] body;
    try (var in = ex.getRequestBody()) {
      body = in.readNBytes(PredictRequest.MAX_BODY_BYTES + 1);
    }
    if (body.length > PredictRequest.MAX_BODY_BYTES) {
      return error(413, "the body is larger than " + PredictRequest.MAX_BODY_BYTES + " bytes");
    }
    final boolean localOnly = "scope=local".equals(ex.getRequestURI().getRawQuery());
    try {
      return new Response(200, JSON, predict.answer(key, models.find(key, localOnly)
          .orElse(null), body).toString());
    } catch (final PredictRequest.BadRequest e) {
      return error(400, e.getMessage());
    } catch (final ModelLookup.UnavailableException e) {
      return error(503, e.getMessage());
    } catch (final RuntimeException e) {
      return error(500, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static Response error(final int status, final String message) {
    final ObjectNode body = ModelJson.MAPPER.createObjectNode();
    body.put("error", message);
    return new Response(status, JSON, body.toString());
  }

  private interface Handler {
    Response respond() throws Exception;
  }

  private record Response(int status, String contentType, String body) {}

  private static void handle(final HttpExchange ex, final Handler handler) throws IOException {
    Response response;
    if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
      response = error(405, "only GET is served here (and POST /models/{key}/predict)");
    } else {
      try {
        response = handler.respond();
      } catch (final ModelLookup.UnavailableException e) {
        response = error(503, e.getMessage());
      } catch (final Exception e) {
        response = error(500, e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    respond(ex, response);
  }

  private static void respond(final HttpExchange ex, final Response response) throws IOException {
    final byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", response.contentType());
    final boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(response.status(), head ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      if (!head) {
        out.write(body);
      }
    }
  }
}
