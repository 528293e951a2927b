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

  static KafkaSession open(final ServiceSettings given, final PrintWriter log) throws IOException {
    if (given.bootstrapServers() != null || given.kafka().containsKey("bootstrap.servers")) {
      return new KafkaSession(given, null, null);
    }
    final EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.DEFAULT_PORT);
    if (kafka.port() != EmbeddedKafka.DEFAULT_PORT) {
      log.println("gradstream: port " + EmbeddedKafka.DEFAULT_PORT + " is taken; the embedded "
          + "Kafka uses port " + kafka.port() + " instead");
    }
    log.println("gradstream: no Kafka given, so an embedded single-node Kafka (KRaft) is "
        + "listening on " + kafka.bootstrapServers());
    ServiceSettings settings = given.withBootstrapServers(kafka.bootstrapServers());
    Path stateDir = null;
    if (given.stateDir() != null) {
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
