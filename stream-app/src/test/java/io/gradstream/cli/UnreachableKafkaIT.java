package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.local.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} against a Kafka that does not answer says so within seconds and that it keeps
 * trying, instead of looking like a start; a stop while it waits is orderly.
 */
class UnreachableKafkaIT {
  @TempDir
  Path dir;

  @Test
  void anUnreachableKafkaIsSaidAtOnceAndTheWaitStopsOnSigterm() throws Exception {
    final int nobody = EmbeddedKafka.freePort();
    final Path log = dir.resolve("run.log");
    final Process run = new ProcessBuilder("java", "-jar", System.getProperty("gradstream.jar"),
        "run", "--bootstrap-servers", "localhost:" + nobody, "--http-port",
        Integer.toString(EmbeddedKafka.freePort())).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.readString(log).contains("trying again") && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(Files.readString(log)).contains("gradstream: cannot reach Kafka at localhost:"
          + nobody).contains("trying again every 5 s until it answers")
          .doesNotContain("training");
      run.destroy(); // SIGTERM
      assertThat(run.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(log)).contains("gradstream: stopped before Kafka at localhost:"
          + nobody + " answered");
    } finally {
      run.destroyForcibly();
    }
  }
}
