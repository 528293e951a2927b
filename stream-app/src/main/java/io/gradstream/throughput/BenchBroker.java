package io.gradstream.throughput;

import io.gradstream.demo.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bench's broker: an {@link EmbeddedKafka} in this JVM (the demo's shape), or in a JVM of its
 * own (a deployment's shape), whose CPU time is then read from its process.
 */
public final class BenchBroker implements AutoCloseable {
  private final EmbeddedKafka inThisJvm;
  private final Process process;
  private final String bootstrapServers;
  private final Path work;
  private final List<String> applicationJavaOptions;

  private BenchBroker(final EmbeddedKafka inThisJvm, final Process process,
      final String bootstrapServers, final Path work, final List<String> applicationJavaOptions) {
    this.inThisJvm = inThisJvm;
    this.process = process;
    this.bootstrapServers = bootstrapServers;
    this.work = work;
    this.applicationJavaOptions = applicationJavaOptions;
  }

  /** A broker in this JVM; the applications run in it too. */
  public static BenchBroker inThisJvm() throws IOException {
    final EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.freePort());
    return new BenchBroker(kafka, null, kafka.bootstrapServers(), kafka.dataDir(), List.of());
  }

  /**
   * A broker in a JVM of its own; each application then gets a fresh JVM of its own too.
   *
   * @param applicationJavaOptions options for the applications' JVMs (a profiler, a collector)
   */
  public static BenchBroker inOwnProcess(final List<String> applicationJavaOptions)
      throws IOException {
    final Path work = Files.createTempDirectory("gradstream-bench-");
    final Path log = work.resolve("broker.log");
    final Process process = ChildJvm.start(BenchBroker.class, "1g", List.of(), List.of(), log);
    final BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    final String line = out.readLine();
    if (line == null || !line.startsWith("bootstrap ")) {
      process.destroyForcibly();
      throw new IOException("the broker's process did not start (see " + log + ")");
    }
    return new BenchBroker(null, process, line.substring("bootstrap ".length()), work,
        List.copyOf(applicationJavaOptions));
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Where the applications keep their state and logs. */
  Path work() {
    return work;
  }

  /** Options for the JVM of each application in a process of its own. */
  List<String> applicationJavaOptions() {
    return applicationJavaOptions;
  }

  /** Whether the broker and each application have a process of their own. */
  public boolean separate() {
    return process != null;
  }

  /** The broker process's CPU seconds so far; NaN when it shares this JVM. */
  double cpuSeconds() {
    return process == null ? Double.NaN : ChildJvm.cpuSeconds(process);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (inThisJvm != null) {
      inThisJvm.close();
      return;
    }
    ChildJvm.stop(process);
    EmbeddedKafka.deleteRecursively(work);
  }

  /** The broker's own process: prints its address, serves until its standard input closes. */
  public static void main(final String[] args) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.freePort())) {
      System.out.println("bootstrap " + kafka.bootstrapServers());
      System.out.flush();
      System.in.transferTo(OutputStream.nullOutputStream());
    }
  }
}
