package io.gradstream.it;

import io.gradstream.demo.EmbeddedKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Schema Registry in a process of its own: Apicurio Registry (the test-registry module's
 * runnable jar), in-memory storage, its Confluent-compatible API at {@link #url()}. Closing it
 * ends the process.
 */
public final class RegistryServer implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final Process process;
  private final int port;

  private RegistryServer(final Process process, final int port) {
    this.process = process;
    this.port = port;
  }

  /** Started and answering, its output in {@code log}. */
  public static RegistryServer start(final Path log) throws IOException, InterruptedException {
    final int port = EmbeddedKafka.freePort();
    final Process process = new ProcessBuilder(List.of("java", "-Xmx256m",
        "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1", "-jar",
        System.getProperty("gradstream.test-registry")))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    final RegistryServer registry = new RegistryServer(process, port);
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        if (registry.get("/subjects").statusCode() == 200) {
          return registry;
        }
      } catch (final IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    registry.close();
    throw new IllegalStateException("the test registry did not answer within 60 s (see " + log
        + ")");
  }

  public int port() {
    return port;
  }

  /** The registry's own API, as Apicurio's serializers are given it. */
  public String nativeUrl() {
    return "http://127.0.0.1:" + port + "/apis/registry/v2";
  }

  /** The Confluent-compatible API's base, as serializers and gradstream are given it. */
  public String url() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v6";
  }

  public HttpResponse<String> get(final String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(final String path, final String json)
      throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
