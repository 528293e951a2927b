package io.gradstream.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.gradstream.config.ServiceSettings;
import io.gradstream.demo.EmbeddedKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.LoggerFactory;

/**
 * The Kafka that run and demo work against: the cluster the user named, or a single-node broker
 * started in this process when asked for. An embedded broker's data is temporary, so the model
 * store next to it is too (unless --state-dir says otherwise): both are removed on close. The
 * local state is bound to the cluster it was built with before anything uses it.
 */
public final class KafkaSession implements AutoCloseable {
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
  private static final Duration RETRY = Duration.ofSeconds(5);

  /**
   * @param embeddedPort null for the Kafka that {@code given} names, else the port an embedded
   *     broker must take, 0 for 9092 or any free one
   * @param resetLocalState delete the application's local state before anything starts
   * @param stop a named Kafka that does not answer is said so at once and asked again every few
   *     seconds until it answers or a stop is asked for
   * @param waiting told what is waited for, for the readiness probe
   * @return null when the stop came before Kafka answered
   * @throws StateOwner.ForeignStateException when the state directory holds this application's
   * state from
   *     another Kafka cluster (and {@code resetLocalState} was not given)
   */
  public static KafkaSession open(final ServiceSettings given, final Integer embeddedPort,
      final boolean resetLocalState, final PrintWriter log, final StopSignal stop,
      final Consumer<String> waiting)
      throws IOException, InterruptedException {
    if (embeddedPort == null) {
      final String clusterId = awaitReachable(given, log, stop, waiting);
      if (clusterId == null) {
        return null;
      }
      claimState(given, clusterId, resetLocalState, log);
      return new KafkaSession(given, null, null);
    }
    if (embeddedPort != 0 && !EmbeddedKafka.isFree(embeddedPort)) {
      throw new IOException("port " + embeddedPort + " for the embedded Kafka is taken; choose "
          + "another with --embedded-kafka-port");
    }
    final EmbeddedKafka kafka = EmbeddedKafka.start(embeddedPort != 0 ? embeddedPort
        : EmbeddedKafka.DEFAULT_PORT);
    try {
      if (embeddedPort == 0 && kafka.port() != EmbeddedKafka.DEFAULT_PORT) {
        log.println("gradstream: port " + EmbeddedKafka.DEFAULT_PORT + " is taken; the embedded "
            + "Kafka uses port " + kafka.port() + " instead (--embedded-kafka-port picks one; "
            + "give feed and tail --bootstrap-servers localhost:" + kafka.port() + ")");
      }
      log.println("gradstream: an embedded single-node Kafka (KRaft) is listening on "
          + kafka.bootstrapServers());
      ServiceSettings settings = given.withBootstrapServers(kafka.bootstrapServers());
      Path stateDir = null;
      if (given.stateDir() != null) {
        // a new embedded broker is a new cluster: state kept from an earlier one is refused
        claimState(settings, kafka.clusterId(), resetLocalState, log);
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
    } catch (final IOException | RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  /** Binds the local state to {@code clusterId}, or refuses another cluster's. */
  private static void claimState(final ServiceSettings settings, final String clusterId,
      final boolean reset, final PrintWriter log) throws IOException {
    final Properties props = settings.streamsProperties();
    final Path stateDir = Path.of(props.getProperty(StreamsConfig.STATE_DIR_CONFIG,
        (String) StreamsConfig.configDef().defaultValues().get(StreamsConfig.STATE_DIR_CONFIG)));
    final String done = StateOwner.claim(stateDir.resolve(settings.applicationId()), clusterId,
        props.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG), reset);
    if (done != null) {
      log.println("gradstream: " + done);
    }
  }

  /**
   * The id of the cluster, once Kafka answered; null when a stop was asked for first.
   */
  private static String awaitReachable(final ServiceSettings settings, final PrintWriter log,
      final StopSignal stop, final Consumer<String> waiting)
      throws InterruptedException {
    final Properties props = settings.streamsProperties();
    final Object servers = props.get("bootstrap.servers");
    waiting.accept("connecting to Kafka at " + servers);
    KafkaReach.Answer answer = KafkaReach.ask(props, RETRY);
    if (answer.problem() == null) {
      return answer.clusterId();
    }
    log.println("gradstream: cannot reach Kafka at " + servers + " (" + answer.problem() + "); "
        + "trying again every " + RETRY.toSeconds() + " s until it answers (Ctrl-C to stop)");
    log.flush();
    while (answer.problem() != null) {
      waiting.accept("waiting for Kafka at " + servers + ": " + answer.problem());
      if (stop.await(RETRY)) {
        log.println("gradstream: stopped before Kafka at " + servers + " answered");
        return null;
      }
      answer = KafkaReach.ask(props, RETRY);
    }
    log.println("gradstream: Kafka at " + servers + " answers");
    return answer.clusterId();
  }

  /** The settings with the bootstrap servers (and state dir) actually in use. */
  public ServiceSettings settings() {
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
