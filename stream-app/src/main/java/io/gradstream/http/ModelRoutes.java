package io.gradstream.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.events.ModelControl;
import io.gradstream.learn.Model;
import io.gradstream.query.ModelJson;
import io.gradstream.query.ModelLookup;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.URIUtil;

/**
 * The model API: {@code GET /models}, {@code GET /models/{key}}, {@code POST
 * /models/{key}/predict} and {@code POST /models/{key}/explain}, and with the admin API {@code
 * POST /models/{key}/reset} and {@code DELETE /models/{key}}. A model id may hold any character,
 * percent-encoded in the path.
 */
final class ModelRoutes {
  private static final String PREFIX = "/models/";
  private static final String PREDICT = "/predict";
  private static final String EXPLAIN = "/explain";
  private static final String RESET = "/reset";

  private final ModelLookup models;
  private final PredictRequest predict;
  private final ModelAdmin.Access admin;
  private final String predictToken;

  /**
   * @param admin the operators' actions, or null when they are off
   * @param predictToken the bearer token predictions require; null for none
   */
  ModelRoutes(final ModelLookup models, final PredictRequest predict,
      final ModelAdmin.Access admin, final String predictToken) {
    this.models = models;
    this.predict = predict;
    this.admin = admin;
    this.predictToken = predictToken;
  }

  /** Whether {@code path} is this API's. */
  static boolean owns(final String path) {
    return path.equals("/models") || path.startsWith(PREFIX);
  }

  /**
   * @param localOnly a request another instance forwarded: answer from this instance alone
   */
  Reply answer(final Request request, final String path, final boolean localOnly)
      throws Exception {
    final String method = request.getMethod();
    final boolean explain = "POST".equals(method) && names(path, EXPLAIN);
    if ("POST".equals(method) && names(path, PREDICT) || explain) {
      if (predictToken != null && !ModelAdmin.bearer(predictToken,
          request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
        return Reply.unauthorized("predictions need the token: Authorization: Bearer "
            + "<GRADSTREAM_HTTP_TOKEN>");
      }
      return predict(request, key(path, explain ? EXPLAIN : PREDICT), localOnly, explain);
    }
    if ("POST".equals(method) && names(path, RESET)) {
      return control(request, key(path, RESET), ModelControl.RESET);
    }
    if ("DELETE".equals(method) && names(path, "")) {
      return control(request, key(path, ""), ModelControl.DELETE);
    }
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return onlyGet();
    }
    if (path.startsWith(PREFIX) && (path.endsWith(PREDICT) || path.endsWith(EXPLAIN))) {
      return Reply.error(405, "predictions are asked for with POST /models/{key}/predict (or "
          + "/explain) and a body such as {\"x\": [0.5]} or {\"features\": {...}}");
    }
    if (path.equals("/models") || path.equals(PREFIX)) {
      return keys(models.keys(localOnly));
    }
    final String key = key(path, "");
    final Optional<Model> model = models.find(key, localOnly);
    return model.map(m -> Reply.json(200, ModelJson.of(m, predict.classes()).toString()))
        .orElseGet(() -> Reply.error(404, "unknown model '" + key + "'"));
  }

  /** The 405 of a method the server does not take, naming the ones it does. */
  static Reply onlyGet() {
    return Reply.error(405, "only GET is served here (and POST /models/{key}/predict and "
        + "/explain, and "
        + "with --admin-api POST /models/{key}/reset and DELETE /models/{key})");
  }

  /** Whether {@code path} is {@code /models/{key}<suffix>} with a key. */
  private static boolean names(final String path, final String suffix) {
    return path.startsWith(PREFIX) && path.endsWith(suffix)
        && path.length() > PREFIX.length() + suffix.length();
  }

  /** The key list; the instances that did not answer are named in a header, not refused. */
  private static Reply keys(final ModelLookup.Keys keys) {
    return new Reply(200, Reply.JSON, ModelJson.MAPPER.valueToTree(keys.keys()).toString()
        .getBytes(StandardCharsets.UTF_8), keys.unanswered().isEmpty() ? null
        : HttpApi.UNANSWERED, String.join(", ", keys.unanswered()));
  }

  /** An operator's action, sent to the stream once the request shows the admin token. */
  private Reply control(final Request request, final String key, final ModelControl action)
      throws Exception {
    if (admin == null) {
      return Reply.error(403, "the admin API is off: start the service with --admin-api and a "
          + "token in GRADSTREAM_ADMIN_TOKEN");
    }
    if (!admin.allows(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      return Reply.unauthorized("this needs the admin token: Authorization: Bearer "
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
    return Reply.json(202, body.toString());
  }

  /** A prediction, or with {@code explain} its terms one by one. */
  private Reply predict(final Request request, final String key, final boolean localOnly,
      final boolean explain)
      throws IOException, ModelLookup.UnavailableException, PredictRequest.BadRequest {
    final byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(PredictRequest.MAX_BODY_BYTES + 1);
    }
    if (body.length > PredictRequest.MAX_BODY_BYTES) {
      return Reply.error(413, "the body is larger than " + PredictRequest.MAX_BODY_BYTES
          + " bytes");
    }
    final Model model = models.find(key, localOnly).orElse(null);
    return Reply.json(200, (explain ? predict.explain(key, model, body)
        : predict.answer(key, model, body)).toString());
  }

  /**
   * The model id in {@code /models/{key}<suffix>}, percent-decoded as a path is ('+' is a plus;
   * %2F a '/' in the key).
   */
  private static String key(final String path, final String suffix) throws BadInput {
    return decode(path.substring(PREFIX.length(), path.length() - suffix.length()));
  }

  /** A model id from its percent-encoded form. */
  static String decode(final String encoded) throws BadInput {
    try {
      return URIUtil.decodePath(encoded);
    } catch (final IllegalArgumentException e) {
      throw new BadInput("the model id '" + encoded + "' is not percent-encoded UTF-8");
    }
  }

  /** A model id in a path, or a query value, that does not parse. */
  static final class BadInput extends Exception {
    BadInput(final String message) {
      super(message);
    }
  }
}
