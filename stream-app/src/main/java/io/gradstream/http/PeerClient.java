package io.gradstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradstream.learn.Model;
import io.gradstream.replay.ModelJson;
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

/**
 * Asks another instance of the application for what its own store holds ({@code scope=local}, so
 * a request is forwarded at most once), through the HTTP address it advertises as {@code
 * application.server}.
 */
public final class PeerClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  public Optional<Model> find(final String host, final int port, final String key)
      throws ModelLookup.UnavailableException {
    final HttpResponse<String> r = get(host, port, "/models/"
        + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20") + "?scope=local");
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(ModelJson.parse(json(r, host, port)));
  }

  public List<String> keys(final String host, final int port)
      throws ModelLookup.UnavailableException {
    final JsonNode array = json(get(host, port, "/models?scope=local"), host, port);
    final List<String> keys = new ArrayList<>();
    array.forEach(k -> keys.add(k.asText()));
    return keys;
  }

  private HttpResponse<String> get(final String host, final int port, final String path)
      throws ModelLookup.UnavailableException {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
          .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (final IOException e) {
      throw new ModelLookup.UnavailableException("the instance at " + host + ":" + port
          + " that holds it does not answer: " + e, e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelLookup.UnavailableException("interrupted", e);
    }
  }

  private static JsonNode json(final HttpResponse<String> r, final String host, final int port)
      throws ModelLookup.UnavailableException {
    if (r.statusCode() != 200) {
      throw new ModelLookup.UnavailableException("the instance at " + host + ":" + port
          + " answered " + r.statusCode() + ": " + r.body(), null);
    }
    try {
      return ModelJson.MAPPER.readTree(r.body());
    } catch (final IOException e) {
      throw new ModelLookup.UnavailableException("the instance at " + host + ":" + port
          + " answered with invalid JSON", e);
    }
  }
}
