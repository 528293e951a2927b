package io.gradstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built jar running as a process of its own, so that a test can kill it as an orchestrator or
 * a crash would: SIGKILL with no chance to clean up, or SIGTERM for an orderly stop.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final Path log;
  private final int httpPort;

  private ServiceProcess(final Process process, final Path log, final int httpPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
  }

  /** {@code java -jar gradstream.jar args...} with {@code env} added, its output in {@code log}. */
  public static ServiceProcess start(final Path log, final Map<String, String> env,
      final int httpPort, final String... args) throws IOException {
    final List<String> command = new ArrayList<>(List.of("java", "-Xmx512m", "-jar",
        System.getProperty("gradstream.jar")));
    command.addAll(List.of(args));
    command.addAll(List.of("--http-port", Integer.toString(httpPort)));
    return launch(command, env, log, httpPort);
  }

  /**
   * Any command that runs the service in the foreground and serves its HTTP API on {@code
   * httpPort}: {@code podman run} of the image, for example.
   */
  public static ServiceProcess launch(final List<String> command, final Map<String, String> env,
      final Path log, final int httpPort) throws IOException {
    final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    return new ServiceProcess(builder.start(), log, httpPort);
  }

  /** Waits until /health/ready answers 200 (Kafka Streams RUNNING); returns how long it took. */
  public Duration awaitReady(final Duration limit) throws InterruptedException {
    final long start = System.nanoTime();
    final long deadline = start + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "the service exited with " + process.exitValue() + ":\n" + output());
      }
      if (status("/health/ready") == 200) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not ready within " + limit + ":\n" + output());
  }

  /** The HTTP status of GET path, or -1 when nothing answers. */
  public int status(final String path) throws InterruptedException {
    try {
      return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (final IOException e) {
      return -1;
    }
  }

  public String get(final String path) throws IOException, InterruptedException {
    final HttpResponse<String> r = HTTP.send(request(path), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  /**
   * {@code GET /models/{key}} once the model has taken {@code count} steps (within a minute),
   * as JSON.
   */
  public JsonNode awaitModel(final String key, final long count) throws Exception {
    final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      if (status("/models/" + key) == 200) {
        final JsonNode model = new ObjectMapper().readTree(get("/models/" + key));
        if (model.path("count").asLong() == count) {
          return model;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(key + " did not reach " + count + " steps:\n" + output());
      }
      Thread.sleep(100);
    }
  }

  /** POST path with a JSON body; the answer's body, which must be 200. */
  public String post(final String path, final String body)
      throws IOException, InterruptedException {
    final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(
        "http://localhost:" + httpPort + path)).timeout(Duration.ofSeconds(5))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("POST " + path + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  private HttpRequest request(final String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
        .timeout(Duration.ofSeconds(5)).build();
  }

  /** SIGKILL: the process gets no chance to commit, flush or clean up. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM, then waits; returns how long the orderly stop took. */
  public Duration terminate(final Duration limit) throws InterruptedException {
    final long start = System.nanoTime();
    process.destroy();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("did not stop within " + limit + " of SIGTERM:\n" + output());
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Waits for the process to end by itself (stopped from outside); false when it has not. */
  public boolean awaitExit(final Duration limit) throws InterruptedException {
    return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The exit code of a process that has ended. */
  public int exitCode() {
    return process.exitValue();
  }

  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
