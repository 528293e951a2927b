package io.gradstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradstream.learn.Model;
import io.gradstream.query.ModelJson;
import io.gradstream.query.ModelLookup;
import io.gradstream.query.Peers;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks another instance of the application for what its own store holds ({@code scope=local}, so
 * a request is forwarded at most once), through the HTTP address it advertises as {@code
 * application.server}.
 */
public final class PeerClient implements Peers {
  /**
   * How long a peer may take: well below a client's patience, so that one hung instance delays a
   * request by at most this much (a model's key list asks every instance at once).
   */
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  @Override
  public Optional<Model> find(final String host, final int port, final String key)
      throws ModelLookup.UnavailableException {
    final HttpResponse<String> r = get(host, port, "/models/"
        + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20") + "?scope=local");
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(ModelJson.parse(json(r, host + ":" + port)));
  }

  /**
   * The keys of each instance ({@code host:port}), asked all at once; those that do not answer
   * with their keys within {@link #TIMEOUT} are named instead.
   */
  @Override
  public ModelLookup.Keys keys(final List<String> instances) {
    final List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (final String instance : instances) {
      answers.add(http.sendAsync(request(instance, "/models?scope=local"),
          HttpResponse.BodyHandlers.ofString()));
    }
    final List<String> keys = new ArrayList<>();
    final List<String> unanswered = new ArrayList<>();
    for (int i = 0; i < instances.size(); i++) {
      try {
        final HttpResponse<String> r = answers.get(i).get(TIMEOUT.toMillis() + 500,
            TimeUnit.MILLISECONDS);
        json(r, instances.get(i)).forEach(k -> keys.add(k.asText()));
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        unanswered.add(instances.get(i));
      } catch (final ExecutionException | TimeoutException
          | ModelLookup.UnavailableException e) {
        answers.get(i).cancel(true);
        unanswered.add(instances.get(i));
      }
    }
    return new ModelLookup.Keys(keys, unanswered);
  }

  /** A request to another instance ({@code host:port}), bounded by {@link #TIMEOUT}. */
  private static HttpRequest request(final String instance, final String path) {
    return HttpRequest.newBuilder(URI.create("http://" + instance + path)).timeout(TIMEOUT)
        .build();
  }

  private HttpResponse<String> get(final String host, final int port, final String path)
      throws ModelLookup.UnavailableException {
    try {
      return http.send(request(host + ":" + port, path), HttpResponse.BodyHandlers.ofString());
    } catch (final IOException e) {
      throw new ModelLookup.UnavailableException("the instance at " + host + ":" + port
          + " that holds it does not answer: " + e, e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelLookup.UnavailableException("interrupted", e);
    }
  }

  private static JsonNode json(final HttpResponse<String> r, final String instance)
      throws ModelLookup.UnavailableException {
    if (r.statusCode() != 200) {
      throw new ModelLookup.UnavailableException("the instance at " + instance + " answered "
          + r.statusCode() + ": " + r.body(), null);
    }
    try {
      return ModelJson.MAPPER.readTree(r.body());
    } catch (final IOException e) {
      throw new ModelLookup.UnavailableException("the instance at " + instance
          + " answered with invalid JSON", e);
    }
  }
}
