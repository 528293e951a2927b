package io.gradstream.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.gradstream.config.ServiceSettings;
import io.gradstream.local.EmbeddedKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The Kafka that run and demo work against: the cluster the user named, or, when none was named,
 * a single-node broker started in this process. An embedded broker's data is temporary, so the
 * model store next to it is too (unless --state-dir says otherwise): both are removed on close.
 */
final class KafkaSession implements AutoCloseable {
  private static final String STATE_DIRECTORY_LOGGER =
      "org.apache.kafka.streams.processor.internals.StateDirectory";

  private final ServiceSettings settings;
  private final EmbeddedKafka embedded;
  private final Path temporaryStateDir;

  private KafkaSession(final ServiceSettings settings, final EmbeddedKafka embedded,
      final Path temporaryStateDir) {
    this.settings = settings;
    this.embedded = embedded;
    this.temporaryStateDir = temporaryStateDir;
  }

  /** How long to wait between attempts to reach a Kafka that did not answer at start-up. */
  private static final java.time.Duration RETRY = java.time.Duration.ofSeconds(5);

  /**
   * @param embeddedPort the port an embedded broker must take; null for 9092, else any
   * @param stop a named Kafka that does not answer is said so at once and asked again every few
   *     seconds until it answers or a stop is asked for
   * @return null when the stop came before Kafka answered
   */
  static KafkaSession open(final ServiceSettings given, final Integer embeddedPort,
      final PrintWriter log, final StopSignal stop) throws IOException, InterruptedException {
    if (given.bootstrapServers() != null || given.kafka().containsKey("bootstrap.servers")) {
      return awaitReachable(given, log, stop) ? new KafkaSession(given, null, null) : null;
    }
    if (embeddedPort != null && !EmbeddedKafka.isFree(embeddedPort)) {
      throw new IOException("port " + embeddedPort + " for the embedded Kafka is taken; choose "
          + "another with --embedded-kafka-port");
    }
    final EmbeddedKafka kafka = EmbeddedKafka.start(embeddedPort != null ? embeddedPort
        : EmbeddedKafka.DEFAULT_PORT);
    if (embeddedPort == null && kafka.port() != EmbeddedKafka.DEFAULT_PORT) {
      log.println("gradstream: port " + EmbeddedKafka.DEFAULT_PORT + " is taken; the embedded "
          + "Kafka uses port " + kafka.port() + " instead (--embedded-kafka-port picks one; "
          + "give feed and tail --bootstrap-servers localhost:" + kafka.port() + ")");
    }
    log.println("gradstream: no Kafka given, so an embedded single-node Kafka (KRaft) is "
        + "listening on " + kafka.bootstrapServers());
    ServiceSettings settings = given.withBootstrapServers(kafka.bootstrapServers());
    Path stateDir = null;
    if (given.stateDir() != null) {
      // the store's changelog lived in the previous embedded broker, which is gone: its local
      // state would only be found inconsistent (pages of Kafka Streams warnings) and thrown away
      final Path stale = given.stateDir().resolve(given.applicationId());
      if (Files.isDirectory(stale)) {
        EmbeddedKafka.deleteRecursively(stale);
        log.println("gradstream: the state in " + stale + " belonged to an earlier embedded Kafka, "
            + "whose data is gone; it starts afresh (keep state with a Kafka of your own)");
      }
      log.println("gradstream: temporary data (removed on stop): " + kafka.dataDir());
    } else {
      stateDir = Files.createTempDirectory("gradstream-state-");
      settings = settings.withStateDir(stateDir);
      // Kafka Streams warns that the OS may clean a state dir under /tmp: here that is intended
      if (LoggerFactory.getLogger(STATE_DIRECTORY_LOGGER) instanceof Logger logger) {
        logger.setLevel(Level.ERROR);
      }
      log.println("gradstream: temporary data (removed on stop): " + kafka.dataDir() + " "
          + stateDir);
    }
    return new KafkaSession(settings, kafka, stateDir);
  }

  /** Whether Kafka answered (false: a stop was asked for first). */
  private static boolean awaitReachable(final ServiceSettings settings, final PrintWriter log,
      final StopSignal stop) throws InterruptedException {
    final java.util.Properties props = settings.streamsProperties();
    final Object servers = props.get("bootstrap.servers");
    String problem = KafkaReach.problem(props, RETRY);
    if (problem == null) {
      return true;
    }
    log.println("gradstream: cannot reach Kafka at " + servers + " (" + problem + "); "
        + "trying again every " + RETRY.toSeconds() + " s until it answers (Ctrl-C to stop)");
    log.flush();
    while (problem != null) {
      if (stop.await(RETRY)) {
        log.println("gradstream: stopped before Kafka at " + servers + " answered");
        return false;
      }
      problem = KafkaReach.problem(props, RETRY);
    }
    log.println("gradstream: Kafka at " + servers + " answers");
    return true;
  }

  /** The settings with the bootstrap servers (and state dir) actually in use. */
  ServiceSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
    if (temporaryStateDir != null) {
      EmbeddedKafka.deleteRecursively(temporaryStateDir);
    }
  }
}
