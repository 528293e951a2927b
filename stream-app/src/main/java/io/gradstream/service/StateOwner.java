package io.gradstream.service;

import io.gradstream.demo.EmbeddedKafka;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Which Kafka cluster an application's local state was built with, recorded beside it, so that a
 * start against another cluster (a typo in the settings, a volume moved, a new embedded broker)
 * refuses that state in one line instead of having it deleted: the local state and its
 * changelog belong together, and only the operator may decide to throw one away.
 */
public final class StateOwner {
  /** Beside Kafka Streams' task directories, which it ignores as it ignores any file. */
  public static final String RECORD = "gradstream-kafka-cluster.properties";

  /** Thrown when the state was built with another cluster; nothing has been touched. */
  public static final class ForeignStateException extends IOException {
    ForeignStateException(final String message) {
      super(message);
    }
  }

  private StateOwner() {}

  /**
   * Records {@code clusterId} as the owner of {@code appDir}'s state, after checking that any
   * state already there was built with it. State from before the record existed is taken as this
   * cluster's.
   *
   * @param reset delete the state first, whatever built it
   * @return what was done worth a line in the log, or null
   */
  public static String claim(final Path appDir, final String clusterId, final String servers,
      final boolean reset) throws IOException {
    String done = null;
    if (reset && Files.exists(appDir)) {
      EmbeddedKafka.deleteRecursively(appDir);
      done = "deleted the local state in " + appDir + " (--reset-local-state); it starts afresh";
    } else if (holdsState(appDir)) {
      final Properties recorded = read(appDir.resolve(RECORD));
      final String owner = recorded.getProperty("cluster.id");
      if (owner != null && !owner.equals(clusterId)) {
        throw new ForeignStateException("the state directory " + appDir + " holds this "
            + "application's state from Kafka cluster " + owner + " (at "
            + recorded.getProperty("bootstrap.servers") + "), but Kafka at " + servers
            + " is cluster " + clusterId + ": nothing was deleted. Name that cluster with "
            + "--bootstrap-servers, choose another --state-dir, or start afresh on purpose "
            + "with --reset-local-state (deletes it)");
      }
    }
    Files.createDirectories(appDir);
    final Properties record = new Properties();
    record.setProperty("cluster.id", clusterId);
    record.setProperty("bootstrap.servers", servers);
    final Path temporary = appDir.resolve(RECORD + ".tmp");
    try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
      record.store(out, "the Kafka cluster this application's local state was built with");
    }
    Files.move(temporary, appDir.resolve(RECORD), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    return done;
  }

  /** Whether Kafka Streams has task directories (its stores) in {@code appDir}. */
  private static boolean holdsState(final Path appDir) throws IOException {
    if (!Files.isDirectory(appDir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(appDir)) {
      return entries.anyMatch(Files::isDirectory);
    }
  }

  private static Properties read(final Path file) throws IOException {
    final Properties props = new Properties();
    if (Files.isRegularFile(file)) {
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(in);
      }
    }
    return props;
  }
}
