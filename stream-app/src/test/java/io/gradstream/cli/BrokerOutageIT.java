package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.avro.AvroSafety;
import io.gradstream.config.ServiceSettings;
import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.it.CrashRecoveryIT;
import io.gradstream.it.EventProducer;
import io.gradstream.it.TopicReader;
import io.gradstream.learn.Activation;
import io.gradstream.learn.ModelAssert;
import io.gradstream.learn.ModelSpec;
import io.gradstream.replay.EventRow;
import io.gradstream.replay.Replay;
import io.gradstream.service.ServiceRunner;
import io.gradstream.step.EventRules;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.OnSettingsChange;
import io.gradstream.stream.TopicNames;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Kafka (one node, broker and controller) goes away for 20 s while the service trains
 * and events arrive; it comes back on the same port with its data. The service recovers by itself
 * and the result is exact: models equal replay, one metric per valid event.
 */
class BrokerOutageIT {
  private static final int FEATURES = 2;
  private static final ModelSpec SPEC = new ModelSpec(FEATURES, false, Activation.SIGMOID, 0.1,
      null, 0.0);
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @Test
  void serviceRecoversByItselfAndTheResultIsExact() throws Exception {
    AvroSafety.install();
    final List<EventRow> rows = EventRow.random(new Random(3), 60_000, FEATURES, 8);
    final Replay replay = new Replay(SPEC);
    replay.train(new StringReader(EventRow.jsonLines(rows)), (line, reason, detail) -> { });
    final long valid = rows.stream().filter(r -> r.valid(FEATURES)).count();

    try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.freePort())) {
      final TopicNames topics = TopicNames.defaults();
      final ServiceSettings settings = new ServiceSettings(kafka.bootstrapServers(), "outage",
          topics, InputFormat.AVRO, Files.createTempDirectory(dir, "state"), 0, 20,
          OnSettingsChange.REFUSE, Map.of());
      final boolean[] failed = {false};
      try (ServiceRunner service = new ServiceRunner(settings, SPEC, EventRules.defaults(),
          new PrintWriter(new StringWriter()), () -> failed[0] = true, null)) {
        // 2,000 events/s over 30 s; the producer buffers and retries through the outage
        final Thread producer = new Thread(() -> EventProducer.send(kafka.bootstrapServers(),
            topics.input(), rows, 2_000, true));
        producer.start();
        Thread.sleep(5000);
        kafka.stopBroker();
        System.out.println("broker stopped for " + OUTAGE.toSeconds() + " s");
        Thread.sleep(OUTAGE.toMillis());
        kafka.startBroker();
        System.out.println("broker started again");
        producer.join();

        CrashRecoveryIT.assertExactlyOneMetricPerValidEvent(TopicReader.read(
            kafka.bootstrapServers(), topics.metrics(), (int) valid, Duration.ofSeconds(240)),
            rows, FEATURES);
        assertThat(failed[0]).as("Kafka Streams died").isFalse();
        assertThat(service.failed()).isFalse();
        ModelAssert.assertAllBitIdentical(key -> service.models().find(key, true),
            replay.models());
      }
    }
  }
}
