package io.gradstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;

/**
 * The few calls gradstream makes to a Schema Registry's Confluent-compatible REST API, which
 * Confluent's registry, Karapace and Apicurio's compatibility API all serve: a schema by its id,
 * and a schema registered (or found, when it is there already) under a subject. Thread-safe.
 */
public final class RegistryClient {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistrySettings settings;
  private final HttpClient http;
  private final String authorization;

  /** @throws IllegalArgumentException when the truststore cannot be opened with its password */
  public RegistryClient(final RegistrySettings settings) {
    this.settings = settings;
    final HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
    if (settings.truststore() != null) {
      builder.sslContext(trusting(settings));
    }
    this.http = builder.build();
    this.authorization = settings.basicAuth() == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString(settings.basicAuth().getBytes(StandardCharsets.UTF_8));
  }

  public RegistrySettings settings() {
    return settings;
  }

  /**
   * The text of the schema registered under {@code id}, with its type ({@code AVRO} when the
   * registry names none); null when the registry knows no such id.
   */
  public WriterSchemaText schema(final int id) throws RegistryUnavailableException {
    final HttpResponse<InputStream> response = send(request("/schemas/ids/" + id).GET(),
        "schema " + id);
    final int status = response.statusCode();
    final JsonNode body = body(response, "schema " + id);
    if (status == 404) {
      return null;
    }
    if (status != 200 || body == null || !body.path("schema").isTextual()) {
      throw unavailable("schema " + id, status, body);
    }
    return new WriterSchemaText(body.path("schemaType").asText("AVRO"),
        body.path("schema").asText());
  }

  /**
   * Registers {@code schema} under {@code subject}, or finds it there: the registry answers with
   * the id it already gave the same schema.
   *
   * @throws RegistryRefusalException when the registry will not have it (incompatible with the
   *     subject's versions, invalid, or forbidden)
   */
  public int register(final String subject, final Schema schema)
      throws RegistryRefusalException, RegistryUnavailableException {
    final String what = "registering " + schema.getFullName() + " under subject " + subject;
    final String payload;
    try {
      payload = JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema.toString()));
    } catch (final IOException e) {
      throw new IllegalStateException(e);
    }
    final HttpResponse<InputStream> response = send(request("/subjects/"
        + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20") + "/versions")
        .header("Content-Type", CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(payload)), what);
    final int status = response.statusCode();
    final JsonNode body = body(response, what);
    if (status == 200 && body != null && body.path("id").canConvertToInt()) {
      return body.path("id").asInt();
    }
    if (status >= 400 && status < 500 && status != 408 && status != 429) {
      throw new RegistryRefusalException("the schema registry at " + settings + " refused "
          + what + ": HTTP " + status + message(body));
    }
    throw unavailable(what, status, body);
  }

  private HttpRequest.Builder request(final String path) {
    final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url() + path))
        .timeout(REQUEST_TIMEOUT)
        .header("Accept", CONTENT_TYPE + ", application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request;
  }

  private HttpResponse<InputStream> send(final HttpRequest.Builder request, final String what)
      throws RegistryUnavailableException {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (final IOException e) {
      throw new RegistryUnavailableException("the schema registry at " + settings
          + " cannot be reached (" + what + "): " + e, e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted while " + what, e);
    }
  }

  /** The response's JSON, or null when it has none (a proxy's error page, say). */
  private JsonNode body(final HttpResponse<InputStream> response, final String what)
      throws RegistryUnavailableException {
    try (InputStream in = response.body()) {
      final byte[] bytes = in.readAllBytes();
      try {
        return bytes.length == 0 ? null : JSON.readTree(bytes);
      } catch (final IOException e) {
        return null;
      }
    } catch (final IOException e) {
      throw new RegistryUnavailableException("the schema registry at " + settings
          + " broke off its answer (" + what + "): " + e, e);
    }
  }

  private RegistryUnavailableException unavailable(final String what, final int status,
      final JsonNode body) {
    return new RegistryUnavailableException("the schema registry at " + settings
        + " did not answer " + what + ": HTTP " + status + message(body), null);
  }

  private static String message(final JsonNode body) {
    return body != null && body.path("message").isTextual()
        ? " (" + body.path("message").asText() + ")" : "";
  }

  private static SSLContext trusting(final RegistrySettings settings) {
    final char[] password = settings.truststorePassword() == null ? null
        : settings.truststorePassword().toCharArray();
    try {
      final KeyStore store = KeyStore.getInstance(settings.truststore().toFile(), password);
      final TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      final SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (final IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("schema registry truststore " + settings.truststore()
          + " cannot be opened: " + e.getMessage(), e);
    }
  }

  /** A schema as the registry keeps it: its type (AVRO, PROTOBUF, JSON) and its text. */
  public record WriterSchemaText(String type, String text) {}
}
