package io.gradstream.cli;

import io.gradstream.registry.RegistryClient;
import io.gradstream.registry.RegistrySettings;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the Schema Registry is: the same flags for run, demo and tail. */
final class RegistryOptions {
  @Option(names = "--schema-registry-url", paramLabel = "URL",
      description = "The Schema Registry's Confluent-compatible API (Confluent, Karapace, or "
          + "Apicurio's .../apis/ccompat/v7); basic auth from "
          + RegistrySettings.BASIC_AUTH_VARIABLE + "=USER:PASSWORD.")
  String url;

  @Option(names = "--schema-registry-truststore", paramLabel = "FILE",
      description = "PKCS12 or JKS file of the certificates to trust for an https registry "
          + "(default: the JVM's); its password from "
          + RegistrySettings.TRUSTSTORE_PASSWORD_VARIABLE + ".")
  Path truststore;

  /** The registry's settings when a URL is given, else null. */
  RegistrySettings settings(final Map<String, String> environment) {
    if (url == null || url.isBlank()) {
      if (truststore != null) {
        throw new IllegalArgumentException("--schema-registry-truststore needs "
            + "--schema-registry-url");
      }
      return null;
    }
    final RegistrySettings settings = RegistrySettings.of(url, truststore, environment);
    new RegistryClient(settings); // opens the truststore now: a wrong password is a bad setting
    return settings;
  }
}
