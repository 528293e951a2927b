package io.gradstream.throughput;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own for one part of the bench (the broker, an application), on this JVM's runtime
 * and class path, so that its CPU time and heap can be read apart from everything else. Its
 * standard input stays a pipe from here: a child ends when that pipe closes, so none outlives the
 * bench, even when the bench is killed.
 */
final class ChildJvm {
  private ChildJvm() {}

  /** Starts {@code main} with {@code args}, its standard error (the logs) into {@code log}. */
  static Process start(final Class<?> main, final String heap, final List<String> javaOptions,
      final List<String> args, final Path log) throws IOException {
    final List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms" + heap,
        "-Xmx" + heap));
    command.addAll(javaOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    return new ProcessBuilder(command).redirectError(log.toFile()).start();
  }

  /** Asks the child to end (its standard input closes) and waits a minute before killing it. */
  static void stop(final Process process) throws InterruptedException, IOException {
    process.getOutputStream().close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** The process's CPU time so far, user and system, in seconds (NaN where the OS does not say). */
  static double cpuSeconds(final Process process) {
    return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9)
        .orElse(Double.NaN);
  }
}
