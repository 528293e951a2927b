package io.gradstream.http;

import io.gradstream.query.ModelLookup;
import io.gradstream.ui.LiveApi;
import io.gradstream.ui.LiveView;
import io.gradstream.ui.PageAssets;
import java.io.IOException;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
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
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The service's HTTP server: {@code /metrics} for Prometheus, {@code /health/live} and {@code
 * /health/ready} for Kubernetes probes, and, once the service runs, the model API ({@link
 * ModelRoutes}: models, predictions, operators' actions) and the live page (its files from {@link
 * PageAssets}, its data from {@link LiveApi}). Jetty serves it: keep-alive connections and a pool
 * of threads, so that a thousand predictions a second cost about a millisecond each; model
 * requests, which may wait for another instance, run on a pool of their own.
 */
public final class HttpApi implements AutoCloseable {
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

  /**
   * What the running service offers over HTTP; until {@link #attach} only the probes and {@code
   * /metrics} answer.
   */
  private record Served(Supplier<String> notReady, ModelRoutes models, LiveApi live,
      PageAssets assets) {}

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
        if (now == null || !ModelRoutes.owns(path) && !path.startsWith(LIVE_API)) {
          send(response, callback, route(request, now));
          return true;
        }
        try {
          modelRequests.execute(() -> send(response, callback, route(request, now)));
        } catch (final RejectedExecutionException e) {
          send(response, callback, Reply.error(503, "too many model requests at once; retry"));
        }
        return true;
      }
    });
    // Jetty's own refusals (a malformed URI, a bad request line) answer in JSON too
    server.setErrorHandler((request, response, callback) -> {
      final Object status = request.getAttribute(ErrorHandler.ERROR_STATUS);
      final Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
      final int code = status instanceof Integer i ? i : response.getStatus();
      send(response, callback, Reply.error(code, message != null ? message.toString()
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

  /** The running service's routes, served from now on. */
  public void attach(final ServiceRoutes routes) {
    final LiveView live = routes.live();
    served = new Served(routes.notReady(), new ModelRoutes(routes.models(),
        new PredictRequest(routes.spec()), routes.admin(), routes.predictToken()),
        live == null ? null : new LiveApi(live), live == null ? null : PageAssets.load());
  }

  /** A server that serves {@code routes} from the start. */
  public static HttpApi serving(final String host, final int port,
      final Supplier<String> prometheusScrape, final ServiceRoutes routes) throws IOException {
    final HttpApi api = new HttpApi(host, port, prometheusScrape, () -> "starting");
    api.attach(routes);
    return api;
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

  /** The answer to a request, from the parts served now ({@code null} before they are). */
  private Reply route(final Request request, final Served served) {
    final String path = request.getHttpURI().getPath();
    if (served == null) {
      return switch (path) {
        case "/metrics" -> new Reply(200, Reply.PROMETHEUS_TEXT, prometheusScrape.get());
        case "/health/live" -> Reply.up();
        case "/health/ready" -> Reply.down(waiting.get());
        default -> Reply.error(503, "not serving yet: " + waiting.get());
      };
    }
    try {
      if (served.live() != null && path.startsWith(LIVE_API)) {
        final Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        final LiveApi.Answer answer = served.live().answer(request.getMethod(),
            path.substring(LIVE_API.length()), query::getValue, HttpApi::decodeKey);
        return Reply.json(answer.status(), answer.json());
      }
      // scope=local: a request another instance forwarded; answer from this instance alone
      final String query = request.getHttpURI().getQuery();
      final boolean localOnly = "scope=local".equals(query);
      if (query != null && !localOnly) {
        return Reply.error(400, "unknown query '" + query + "': the only one is scope=local");
      }
      if (ModelRoutes.owns(path)) {
        return served.models().answer(request, path, localOnly);
      }
      if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
        return ModelRoutes.onlyGet();
      }
      return switch (path) {
        case "/metrics" -> new Reply(200, Reply.PROMETHEUS_TEXT, prometheusScrape.get());
        case "/health/live" -> Reply.up();
        case "/health/ready" -> {
          final String notReady = served.notReady().get();
          yield notReady == null ? Reply.up() : Reply.down(notReady);
        }
        default -> Reply.error(404, "not found: " + path);
      };
    } catch (final ModelLookup.UnavailableException e) {
      return Reply.error(503, e.getMessage());
    } catch (final PredictRequest.BadRequest | ModelRoutes.BadInput e) {
      return Reply.error(400, e.getMessage());
    } catch (final Exception e) {
      return Reply.error(500, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** A model id from its percent-encoded form in a path. */
  private static String decodeKey(final String encoded) {
    try {
      return ModelRoutes.decode(encoded);
    } catch (final ModelRoutes.BadInput e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
