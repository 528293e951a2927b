package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.it.KafkaTestCluster;
import io.gradstream.it.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on {@code feed}, as a user does: what was sent is flushed, the summary says how many
 * events Kafka acknowledged and where to resume, and resuming there sends the rest, each event
 * once.
 */
class FeedInterruptIT {
  private static final int ROWS = 3000;

  @TempDir
  Path dir;

  @Test
  void anInterruptedFeedSaysWhereToResumeAndResumingSendsEachEventOnce() throws Exception {
    AvroSafety.install();
    final StringBuilder csv = new StringBuilder("key,x,d\n");
    for (int i = 0; i < ROWS; i++) {
      csv.append("k").append(i % 7).append(",0.5,").append(i).append('\n');
      if (i == 100) {
        csv.append("k1,oops,1\n"); // a bad row: named, skipped, and it moves the lines on
      }
    }
    final Path file = Files.writeString(dir.resolve("events.csv"), csv);
    try (KafkaTestCluster kafka = KafkaTestCluster.start(1)) {
      final Path log = dir.resolve("feed.log");
      final Process feed = new ProcessBuilder("java", "-jar", System.getProperty("gradstream.jar"),
          "feed", "--bootstrap-servers", kafka.bootstrapServers(), "--rate", "400",
          file.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Thread.sleep(4000);
      // Ctrl-C
      new ProcessBuilder("kill", "-INT", Long.toString(feed.pid())).start().waitFor();
      assertThat(feed.waitFor(30, TimeUnit.SECONDS)).isTrue();
      final String output = Files.readString(log);
      final Matcher resume = Pattern.compile("Kafka acknowledged every event before line (\\d+); "
          + "to resume: (gradstream .*)").matcher(output);
      assertThat(resume.find()).as(output).isTrue();
      final long line = Long.parseLong(resume.group(1));
      // every flag given is repeated, so that the rest goes where the first part went, as fast
      assertThat(resume.group(2)).isEqualTo("gradstream feed --from-line " + line
          + " --bootstrap-servers " + kafka.bootstrapServers() + " --rate 400 " + file);
      final Matcher sent = Pattern.compile("feed: sent (\\d+) events").matcher(output);
      assertThat(sent.find()).as(output).isTrue();
      final int acknowledged = Integer.parseInt(sent.group(1));
      assertThat(acknowledged).isBetween(100, ROWS - 100);
      // line 1 is the header, row i on line i + 2, the bad row on 103 and row i > 100 on i + 3:
      // rows 0 .. acknowledged − 1 are in Kafka, and the next one's line is where to resume
      assertThat(line).isEqualTo(acknowledged + (acknowledged > 101 ? 3 : 2));
      assertThat(output).contains("line 103: skipped");
      assertThat(values(kafka, acknowledged)).hasSize(acknowledged);

      final MainAccess.Result rest = MainAccess.execute(Map.of(),
          resume.group(2).substring("gradstream ".length()).split(" "));
      assertThat(rest.code()).as(rest.err()).isZero();
      assertThat(rest.err()).doesNotContain("line 103: skipped");
      final List<Integer> all = values(kafka, ROWS);
      assertThat(all).hasSize(ROWS);
      assertThat(new TreeSet<>(all)).hasSize(ROWS).first().isEqualTo(0);
      assertThat(new TreeSet<>(all).last()).isEqualTo(ROWS - 1);
    }
  }

  /** The d of every event in the topic: each row's own number. */
  private static List<Integer> values(final KafkaTestCluster kafka, final int expected)
      throws Exception {
    final List<Integer> values = new ArrayList<>();
    for (final ConsumerRecord<byte[], byte[]> r : TopicReader.read(kafka.bootstrapServers(),
        "training-events", expected, Duration.ofSeconds(30))) {
      values.add((int) (double) ReleasedSchemas.labeledEvents().decode(r.value()).getD());
    }
    return values;
  }
}
