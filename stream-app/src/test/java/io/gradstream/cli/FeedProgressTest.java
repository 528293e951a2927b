package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** feed's progress: where it is in the file and how fast it goes, right under --rate. */
class FeedProgressTest {
  private static final long MS = 1_000_000L;

  @Test
  void thePercentageFollowsTheRowsSentNotTheBytesReadAheadAndTheRateIsSteady() {
    final StringWriter text = new StringWriter();
    final long[] consumed = {0};
    // a 400,000-byte file of 20-byte rows, sent at 4,000 rows/s (80,000 bytes/s), one each
    // quarter millisecond: the reader's buffer reads 64 KiB at once, the rows take 20 bytes each
    final FeedProgress progress = new FeedProgress(new PrintWriter(text, true), true, 400_000,
        () -> consumed[0], 0);
    long sent = 0;
    for (long t = MS / 4; t <= 1_000 * MS; t += MS / 4) {
      sent++;
      consumed[0] += 20;
      progress.sent(sent, t);
    }
    final List<String> draws = List.of(text.toString().split("\r"));
    // at 1 s: 4,000 rows, 80,000 bytes of 400,000: 20%; 4,000/s; 320 kB left at 80 kB/s
    assertThat(draws.get(draws.size() - 1)).startsWith("[######........................]  20% "
        + "4000 events sent, 0 rows skipped, 4000 events/s, ETA 4 s");
    assertThat(draws).filteredOn(d -> d.startsWith("[")).allSatisfy(d -> assertThat(d)
        .contains(" 4000 events/s"));
  }

  @Test
  void aStallIsCaughtUpATenthOfASecondAtMostThenTheRateHolds() {
    final RateLimit limit = new RateLimit(4000, 0);
    // the first event waits 2 s for Kafka: then 400 go at once (0.1 s), and the rest one every
    // 250 µs
    long now = 2_000 * MS;
    int atOnce = 0;
    while (limit.delay(now) == 0) {
      atOnce++;
    }
    assertThat(atOnce).isEqualTo(401);
    long sent = 0;
    final long start = now;
    for (now = start; now < start + 1_000 * MS; now += limit.delay(now)) {
      sent++;
    }
    assertThat(sent).isBetween(3999L, 4001L);
  }
}
