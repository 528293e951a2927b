package io.gradstream.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) inside this JVM, on loopback,
 * from Kafka's own artifacts: what {@code demo} and a {@code run} without a cluster use. Kafka's
 * server classes are internal APIs that change between releases, so they are touched here only.
 * Its data lives in a temporary directory that {@link #close()} removes.
 */
public final class EmbeddedKafka implements AutoCloseable {
  public static final int DEFAULT_PORT = 9092;

  private final Path dataDir;
  private final int port;
  private final String clusterId;
  private final KafkaConfig config;
  private KafkaRaftServer server;

  private EmbeddedKafka(final Path dataDir, final int port, final String clusterId,
      final KafkaConfig config) {
    this.dataDir = dataDir;
    this.port = port;
    this.clusterId = clusterId;
    this.config = config;
  }

  /** A SCRAM-SHA-512 user, for a broker whose client listener requires SASL. */
  public record ScramUser(String name, String password) {}

  /** The broker's TLS identity: a PKCS12 keystore with its key and certificate chain. */
  public record Tls(Path keystore, String password) {}

  /**
   * Starts the broker on {@code preferredPort}, or on a free port when that one is taken (say 9092
   * is already a Kafka of the user's): {@link #port()} tells which.
   */
  public static EmbeddedKafka start(final int preferredPort) throws IOException {
    return start(preferredPort, null);
  }

  /**
   * As {@link #start(int)}; with a {@code user}, clients must authenticate as that user with
   * SASL/SCRAM-SHA-512 (over plaintext: this broker is for one machine), as on a secured cluster.
   */
  public static EmbeddedKafka start(final int preferredPort, final ScramUser user)
      throws IOException {
    return start(preferredPort, user, null);
  }

  /** As {@link #start(int, ScramUser)}, over TLS (SASL_SSL) when {@code tls} is given. */
  public static EmbeddedKafka start(final int preferredPort, final ScramUser user,
      final Tls tls) throws IOException {
    final int port = isFree(preferredPort) ? preferredPort : freePort();
    final int controllerPort = freePort();
    final Path dataDir = Files.createTempDirectory("gradstream-kafka-");
    try {
      final Properties props = brokerProperties(dataDir, port, controllerPort);
      if (user != null) {
        requireScram(props, port, freePort(), controllerPort, tls);
      }
      final String clusterId = Uuid.randomUuid().toString();
      format(dataDir, props, clusterId, user);
      final EmbeddedKafka kafka = new EmbeddedKafka(dataDir, port, clusterId,
          new KafkaConfig(props, false));
      kafka.startBroker();
      return kafka;
    } catch (final RuntimeException | IOException e) {
      deleteRecursively(dataDir);
      throw e;
    }
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  public int port() {
    return port;
  }

  /** The id this broker's cluster was formatted with: a new one each start. */
  public String clusterId() {
    return clusterId;
  }

  /** Where the broker keeps its log; gone after {@link #close()}. */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Stops the broker but keeps its data, as an outage would; {@link #startBroker()} brings the
   * same broker back on the same port.
   */
  public synchronized void stopBroker() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  public synchronized void startBroker() {
    if (server == null) {
      final KafkaRaftServer started = new KafkaRaftServer(config, Time.SYSTEM);
      started.startup();
      server = started;
    }
  }

  @Override
  public void close() {
    try {
      stopBroker();
    } finally {
      deleteRecursively(dataDir);
    }
  }

  private static Properties brokerProperties(final Path dataDir, final int port,
      final int controllerPort) {
    final Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put(
        "listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("controller.quorum.bootstrap.servers", "localhost:" + controllerPort);
    p.put("log.dirs", dataDir.resolve("log").toString());
    // one broker: every internal topic has one replica, or exactly-once waits for ever
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    return p;
  }

  /**
   * The client port speaks SASL_PLAINTEXT (SASL_SSL with {@code tls}) with SCRAM-SHA-512 only; the
   * broker talks to itself on an internal plaintext listener, so that it needs no credentials of
   * its own.
   */
  private static void requireScram(final Properties p, final int port, final int internalPort,
      final int controllerPort, final Tls tls) {
    final String protocol = tls == null ? "SASL_PLAINTEXT" : "SASL_SSL";
    final String listener = "listener.name." + protocol.toLowerCase(Locale.ROOT) + ".";
    p.put("listeners", protocol + "://localhost:" + port + ",INTERNAL://localhost:"
        + internalPort + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", protocol + "://localhost:" + port
        + ",INTERNAL://localhost:" + internalPort);
    p.put("listener.security.protocol.map",
        protocol + ":" + protocol + ",INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "INTERNAL");
    p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put(listener + "sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put(listener + "scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    if (tls != null) {
      p.put(listener + "ssl.keystore.type", "PKCS12");
      p.put(listener + "ssl.keystore.location", tls.keystore().toString());
      p.put(listener + "ssl.keystore.password", tls.password());
      p.put(listener + "ssl.key.password", tls.password());
    }
  }

  /** {@code kafka-storage.sh format --standalone}: the metadata a new KRaft node needs. */
  private static void format(final Path dataDir, final Properties props, final String clusterId,
      final ScramUser user) throws IOException {
    final Path config = dataDir.resolve("server.properties");
    try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      props.store(out, "gradstream embedded broker");
    }
    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    final int code;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      final List<String> args = new ArrayList<>(List.of("format",
          "--standalone", "-t", clusterId, "-c", config.toString()));
      if (user != null) {
        // SCRAM credentials live in the cluster metadata: they are written when it is formatted
        args.addAll(List.of("--add-scram",
            "SCRAM-SHA-512=[name=" + user.name() + ",password=" + user.password() + "]"));
      }
      code = StorageTool.execute(args.toArray(String[]::new), print);
    }
    if (code != 0) {
      throw new IOException("formatting the embedded broker's storage failed: "
          + output.toString(StandardCharsets.UTF_8));
    }
  }

  /**
   * Whether the broker could listen on {@code port}: bound as Kafka binds it, with address reuse,
   * so that the connections a previous run left in TIME_WAIT do not count as taken.
   */
  public static boolean isFree(final int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (final IOException e) {
      return false;
    }
  }

  /** A port nobody listens on now (the OS's choice). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Removes a directory tree; a missing one is fine. */
  public static void deleteRecursively(final Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (final IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
