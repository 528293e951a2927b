package io.gradstream.registry;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Where the Schema Registry is and how to reach it, checked once at start-up.
 *
 * @param url the registry's Confluent-compatible API (Confluent's and Karapace's root, Apicurio's
 *     {@code /apis/ccompat/v7} or {@code v6})
 * @param basicAuth {@code user:password} for HTTP basic authentication; null for none
 * @param truststore a PKCS12 or JKS file of the certificates to trust for https; null for the
 *     JVM's own
 * @param truststorePassword the truststore's password; null for none
 * @param outageRetry how long one lookup retries while the registry cannot be reached before the
 *     stream thread gives up its work (and is replaced, resuming from its last commit)
 */
public record RegistrySettings(URI url, String basicAuth, Path truststore,
    String truststorePassword, Duration outageRetry) {
  /** The credentials' variable: a secret, so the environment only, never a flag (ps shows). */
  public static final String BASIC_AUTH_VARIABLE = "GRADSTREAM_SCHEMA_REGISTRY_BASIC_AUTH";
  public static final String TRUSTSTORE_PASSWORD_VARIABLE =
      "GRADSTREAM_SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD";
  /** Under Kafka's five-minute poll interval, so that a waiting thread keeps its group. */
  public static final Duration OUTAGE_RETRY = Duration.ofSeconds(60);

  public RegistrySettings {
    if (url == null) {
      throw new IllegalArgumentException("schema registry url is missing");
    }
    final String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw new IllegalArgumentException("schema registry url must be http://HOST[:PORT][/PATH] "
          + "or https://..., got '" + url + "'");
    }
    if (basicAuth != null && basicAuth.indexOf(':') < 1) {
      throw new IllegalArgumentException(BASIC_AUTH_VARIABLE + " must be USER:PASSWORD");
    }
    if (truststore != null && !Files.isReadable(truststore)) {
      throw new IllegalArgumentException("schema registry truststore " + truststore
          + " cannot be read");
    }
    if (outageRetry == null || outageRetry.isNegative()) {
      throw new IllegalArgumentException("outage retry must be zero or more");
    }
  }

  /**
   * @param url as given: a trailing slash is dropped, so that paths append to it
   * @param environment where the secrets are read from
   */
  public static RegistrySettings of(final String url, final Path truststore,
      final Map<String, String> environment) {
    final URI uri;
    try {
      uri = URI.create(url.trim().replaceAll("/+$", ""));
    } catch (final IllegalArgumentException e) {
      throw new IllegalArgumentException("schema registry url is not a URL: '" + url + "'");
    }
    return new RegistrySettings(uri, blankToNull(environment.get(BASIC_AUTH_VARIABLE)),
        truststore, blankToNull(environment.get(TRUSTSTORE_PASSWORD_VARIABLE)), OUTAGE_RETRY);
  }

  /** These settings, with lookups that wait {@code retry} for an absent registry. */
  public RegistrySettings withOutageRetry(final Duration retry) {
    return new RegistrySettings(url, basicAuth, truststore, truststorePassword, retry);
  }

  private static String blankToNull(final String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** The address without credentials, for messages. */
  @Override
  public String toString() {
    return url.toString();
  }
}
