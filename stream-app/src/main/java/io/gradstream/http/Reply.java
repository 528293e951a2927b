package io.gradstream.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.query.ModelJson;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP answer, whole: status, content type, body, and at most one header of its own.
 *
 * @param header a header of the answer's own (and {@code value}), or null
 */
record Reply(int status, String contentType, byte[] body, String header, String value) {
  static final String JSON = "application/json";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  Reply(final int status, final String contentType, final String body) {
    this(status, contentType, body.getBytes(StandardCharsets.UTF_8), null, null);
  }

  static Reply json(final int status, final String body) {
    return new Reply(status, JSON, body);
  }

  /** A probe's "yes". */
  static Reply up() {
    return json(200, "{\"status\":\"UP\"}");
  }

  /** {@code {"error": message}}. */
  static Reply error(final int status, final String message) {
    final ObjectNode body = ModelJson.MAPPER.createObjectNode();
    body.put("error", message);
    return json(status, body.toString());
  }

  /** A 401 with the challenge RFC 6750 asks for. */
  static Reply unauthorized(final String message) {
    final Reply refused = error(401, message);
    return new Reply(refused.status(), JSON, refused.body(), "WWW-Authenticate",
        "Bearer realm=\"gradstream\"");
  }

  /** A readiness probe's "no", with the reason for a person. */
  static Reply down(final String reason) {
    final ObjectNode body = ModelJson.MAPPER.createObjectNode();
    body.put("status", "DOWN");
    body.put("reason", reason);
    return json(503, body.toString());
  }
}
