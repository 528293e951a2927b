package io.gradstream.throughput;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * One bench application (the passthrough, the stateful ceiling or gradstream) in a JVM of its
 * own. It runs until its standard input closes; on a line {@code heap} it answers with its live
 * heap after a full collection, on a line {@code restore} with what its stores restored and how
 * long that took ({@link RestoreClock}). Arguments: {@code
 * passthrough|stateful|gradstream BOOTSTRAP APPLICATION_ID STATE_DIR INPUT OUTPUT} then the {@link
 * ThroughputBench.Setup} as {@link ThroughputBench.Setup#toArgs()} wrote it; OUTPUT is the
 * passthrough's or the ceiling's topic, or gradstream's topic prefix.
 */
public final class BenchApplication {
  private BenchApplication() {}

  public static void main(final String[] args) throws Exception {
    final BenchApp app = BenchApp.named(args[0]);
    final ThroughputBench.Setup setup =
        ThroughputBench.Setup.fromArgs(Arrays.asList(args).subList(6, args.length));
    final Properties props = ThroughputBench.properties(args[1], Path.of(args[3]),
        setup, args[2]);
    final Topology topology = ThroughputBench.topology(app, setup, props, args[4], args[5]);
    final BufferedReader in = new BufferedReader(
        new InputStreamReader(System.in, StandardCharsets.UTF_8));
    final RestoreClock restore = new RestoreClock();
    try (KafkaStreams streams = new KafkaStreams(topology, props)) {
      streams.setGlobalStateRestoreListener(restore);
      streams.start();
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals("heap")) {
          System.out.println("heap " + ThroughputBench.liveHeapMb());
          System.out.flush();
        } else if (line.equals("restore")) {
          System.out.println(restore.await(streams));
          System.out.flush();
        }
      }
      // leaves the group as the service does, so that a next instance (--restore) gets the
      // tasks at once rather than after this member's session times out
      streams.close(CloseOptions.groupMembershipOperation(
          CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
    }
  }
}
