package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.it.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up tells the truth: {@code run} against a Kafka that does not answer says so within
 * seconds and that it keeps trying, instead of looking like a start; a stop while it waits is
 * orderly. And a state directory kept across runs of the temporary embedded Kafka is refused in
 * one line, not deleted and not pages of stack traces.
 */
class StartupIT {
  @TempDir
  Path dir;

  @Test
  void anUnreachableKafkaIsSaidAtOnceAndTheWaitStopsOnSigterm() throws Exception {
    final int nobody = EmbeddedKafka.freePort();
    final Path log = dir.resolve("run.log");
    final int http = EmbeddedKafka.freePort();
    final Process run = new ProcessBuilder("java", "-jar", System.getProperty("gradstream.jar"),
        "run", "--bootstrap-servers", "localhost:" + nobody, "--http-port",
        Integer.toString(http)).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.readString(log).contains("trying again") && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(Files.readString(log)).contains("gradstream: cannot reach Kafka at localhost:"
          + nobody).contains("trying again every 5 s until it answers")
          .doesNotContain("training");
      // while it waits, a pod is alive, not ready, and says why: no restart, no crash loop
      final HttpClient client = HttpClient.newHttpClient();
      final Function<String, HttpResponse<String>> get = path -> {
        try {
          return client.send(HttpRequest.newBuilder(URI.create(
              "http://localhost:" + http + path)).build(),
              HttpResponse.BodyHandlers.ofString());
        } catch (final Exception e) {
          throw new AssertionError(path, e);
        }
      };
      assertThat(get.apply("/health/live").statusCode()).isEqualTo(200);
      final HttpResponse<String> ready = get.apply("/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).startsWith("{\"status\":\"DOWN\",\"reason\":\"waiting for "
          + "Kafka at localhost:" + nobody + ": ");
      assertThat(get.apply("/metrics").body()).contains("jvm_memory_used_bytes")
          .contains("gradstream_build_info");
      assertThat(get.apply("/models").statusCode()).isEqualTo(503);
      run.destroy(); // SIGTERM
      assertThat(run.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(log)).contains("gradstream: stopped before Kafka at localhost:"
          + nobody + " answered");
    } finally {
      run.destroyForcibly();
    }
  }

  /**
   * Each embedded Kafka is a new cluster: state kept from an earlier one is refused in one line
   * and left as it was (it used to be deleted without asking), then deleted on purpose with
   * --reset-local-state; no run prints a stack trace.
   */
  @Test
  void aKeptStateDirectoryFromAnotherClusterIsRefusedAndKeptUntilResetOnPurpose()
      throws Exception {
    final Path state = dir.resolve("state");
    final Path log = dir.resolve("embedded.log");
    final int port = EmbeddedKafka.freePort();
    trainAndStop(log, port, "run", "--embedded-kafka", "--state-dir", state.toString());
    final Path tasks = state.resolve("gradstream/0_0");
    assertThat(tasks).isDirectory();
    final long storeFiles;
    try (Stream<Path> files = Files.walk(tasks)) {
      storeFiles = files.count();
    }

    // the second run names the broker's port: no word about 9092 then
    final int kafkaPort = EmbeddedKafka.freePort();
    final Path refusedLog = dir.resolve("refused.log");
    final Process refused = new ProcessBuilder("java", "-jar",
        System.getProperty("gradstream.jar"), "run", "--embedded-kafka-port",
        Integer.toString(kafkaPort), "--state-dir", state.toString(), "--http-port",
        Integer.toString(port)).redirectErrorStream(true).redirectOutput(refusedLog.toFile())
        .start();
    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
    final String refusal = Files.readString(refusedLog);
    assertThat(refused.exitValue()).as(refusal).isEqualTo(Main.USAGE);
    assertThat(refusal).contains("listening on localhost:" + kafkaPort).doesNotContain("is taken")
        .containsPattern("gradstream run: the state directory " + Pattern.quote(
            state.resolve("gradstream").toString()) + " holds this application's state from "
            + "Kafka cluster \\S+ \\(at localhost:\\d+\\), but Kafka at localhost:" + kafkaPort
            + " is cluster \\S+: nothing was deleted\\. .* --reset-local-state \\(deletes it\\)")
        .doesNotContain("Exception");
    try (Stream<Path> files = Files.walk(tasks)) {
      assertThat(files.count()).as("the refused state is untouched").isEqualTo(storeFiles);
    }

    trainAndStop(log, port, "run", "--embedded-kafka", "--state-dir", state.toString(),
        "--reset-local-state");
    final String output = Files.readString(log);
    assertThat(output.lines().filter(l -> l.strip().startsWith("at org.apache.kafka")))
        .as(output).isEmpty();
    assertThat(output).containsOnlyOnce("gradstream: deleted the local state in "
        + state.resolve("gradstream") + " (--reset-local-state); it starts afresh");
    assertThat(output).contains("gradstream run: stopping on SIGTERM")
        .containsPattern("gradstream run: stopped \\(closed in [0-9.]+ s, exit code 0\\)");
  }

  /** Runs the service with {@code args}, trains two models and stops it with SIGTERM. */
  private void trainAndStop(final Path log, final int port, final String... args)
      throws Exception {
    try (ServiceProcess service = ServiceProcess.start(log, Map.of(), port, args)) {
      service.awaitReady(Duration.ofSeconds(90));
      final Matcher listening = Pattern.compile(
          "listening on (localhost:\\d+)").matcher(Files.readString(log));
      String bootstrap = null;
      while (listening.find()) {
        bootstrap = listening.group(1);
      }
      final Path events = Files.writeString(dir.resolve("events.csv"),
          "key,x,d\nk1,0.5,1\nk2,1.5,0\nk1,0.25,1\n");
      assertThat(MainAccess.execute(Map.of(), "feed", "--bootstrap-servers",
          bootstrap, events.toString()).code()).isZero();
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (service.status("/models/k2") != 200 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(service.status("/models/k2")).isEqualTo(200);
      assertThat(service.terminate(Duration.ofSeconds(30))).isNotNull();
      assertThat(service.exitCode()).as("SIGTERM is an orderly stop").isZero();
    }
  }
}
