package io.gradstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker gets its port back after a restart: the connections of the previous run
 * sit in TIME_WAIT on it, which must not count as taken (the README's next command, {@code feed},
 * expects the broker where it was).
 */
class EmbeddedKafkaRestartIT {
  @Test
  void aRestartedBrokerListensOnTheSamePortDespiteTimeWait() throws Exception {
    final int port = EmbeddedKafka.freePort();
    final EmbeddedKafka first = EmbeddedKafka.start(port);
    assertThat(first.port()).isEqualTo(port);
    // a client still connected while the broker stops, as `feed` or a consumer would be
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        first.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(
          "t", 1, (short) 1))).all().get();
      first.close();
    }
    // the broker closed its side of the connections first: they wait in TIME_WAIT on its port
    assertThat(timeWaitOn(port)).as("sockets in TIME_WAIT on port %d", port).isPositive();
    try (EmbeddedKafka second = EmbeddedKafka.start(port)) {
      assertThat(second.port()).isEqualTo(port);
    }
  }

  /** Sockets in TIME_WAIT (state 06) with local port {@code port}, from /proc/net/tcp{,6}. */
  private static int timeWaitOn(final int port) throws Exception {
    int count = 0;
    for (final String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      if (!Files.exists(Path.of(table))) {
        continue;
      }
      try (BufferedReader in = Files.newBufferedReader(Path.of(table))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          final String[] f = line.trim().split("\\s+");
          if (f.length > 3 && f[1].contains(":") && f[3].equals("06")
              && Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16) == port) {
            count++;
          }
        }
      }
    }
    return count;
  }
}
