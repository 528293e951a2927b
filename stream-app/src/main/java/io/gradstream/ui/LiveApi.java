package io.gradstream.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.query.ModelJson;
import io.gradstream.query.ModelLookup;
import java.util.function.UnaryOperator;

/**
 * The live page's data, read only: {@code overview?since=}, {@code models?search=&page=&size=}
 * and {@code models/{key}?since=}, each a JSON answer for the page's script. What the HTTP server
 * hands over is the path after the API's prefix and a way to read the query; no HTTP type enters.
 */
public final class LiveApi {
  private final LiveView live;

  public LiveApi(final LiveView live) {
    this.live = live;
  }

  /** One answer: a status and its JSON body. */
  public record Answer(int status, String json) {}

  /** The request's query values by name (null when absent). */
  public interface Query {
    String value(String name);
  }

  /**
   * @param path what follows the API's prefix, e.g. {@code models/sensor-7}
   * @param decodeKey the model id from its percent-encoded form in the path; throws
   *     IllegalArgumentException, whose message is said, when it does not decode
   */
  public Answer answer(final String method, final String path, final Query query,
      final UnaryOperator<String> decodeKey) throws ModelLookup.UnavailableException {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return error(405, "the live page's data is read only: GET");
    }
    final double after;
    final String key;
    try {
      after = since(query.value("since"));
      key = path.startsWith("models/") && path.length() > "models/".length()
          ? decodeKey.apply(path.substring("models/".length())) : null;
    } catch (final IllegalArgumentException e) {
      return error(400, e.getMessage());
    }
    if (path.equals("overview")) {
      return new Answer(200, live.overview(after));
    }
    if (path.equals("models")) {
      final int page;
      final int size;
      try {
        page = number(query, "page", 0);
        size = number(query, "size", 50);
      } catch (final IllegalArgumentException e) {
        return error(400, e.getMessage());
      }
      return new Answer(200, live.models(query.value("search"), page, size));
    }
    if (key != null) {
      final String model = live.model(key, after);
      return model != null ? new Answer(200, model) : error(404, "unknown model '" + key + "'");
    }
    return error(404, "not found: " + path);
  }

  /** Epoch seconds; none means from the start. */
  private static double since(final String since) {
    try {
      return since == null || since.isEmpty() ? Double.NEGATIVE_INFINITY
          : Double.parseDouble(since);
    } catch (final NumberFormatException e) {
      throw new IllegalArgumentException("since must be a time in epoch seconds, got '" + since
          + "'");
    }
  }

  private static int number(final Query query, final String name, final int absent) {
    final String value = query.value(name);
    try {
      return value == null || value.isEmpty() ? absent : Integer.parseInt(value);
    } catch (final NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
    }
  }

  private static Answer error(final int status, final String message) {
    final ObjectNode body = ModelJson.MAPPER.createObjectNode();
    body.put("error", message);
    return new Answer(status, body.toString());
  }
}
