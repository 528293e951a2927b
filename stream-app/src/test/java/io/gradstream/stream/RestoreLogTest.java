package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RestoreLogTest {
  private final List<String> lines = new ArrayList<>();
  private final RestoreLog log = new RestoreLog(lines::add);
  private final TopicPartition changelog = new TopicPartition("app-models-changelog", 3);

  @Test
  void aRestoreThatReadsRecordsIsSaidAtItsStartAndEnd() {
    log.onRestoreStart(changelog, "models", 100, 1100);
    log.onBatchRestored(changelog, "models", 600, 500);
    log.onRestoreEnd(changelog, "models", 1000);

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo(
        "restoring store models from app-models-changelog-3: up to 1000 records");
    assertThat(lines.get(1)).matches(
        "restored store models from app-models-changelog-3: 1000 records in \\d+\\.\\d s");
  }

  @Test
  void localStateThatIsCurrentRestoresSilently() {
    // with exactly-once the end offset is past the last commit marker: one offset, no record
    log.onRestoreStart(changelog, "models", 41, 41);
    log.onRestoreEnd(changelog, "models", 0);

    assertThat(lines).isEmpty();
  }

  /**
   * A clean restart under exactly-once: the changelog's end is a commit marker past the
   * checkpoint, so a restore starts and reads nothing. It says nothing; a start line without an end
   * looked like a hang.
   */
  @Test
  void aRestoreThatReadsNothingSaysNothing() {
    log.onRestoreStart(changelog, "models", 41, 43);
    log.onBatchRestored(changelog, "models", 43, 0);
    log.onRestoreEnd(changelog, "models", 0);

    assertThat(lines).isEmpty();
  }

  @Test
  void aSuspendedRestoreSaysHowFarItGot() {
    log.onRestoreStart(changelog, "models", 0, 50);
    log.onRestoreSuspended(changelog, "models", 20);

    assertThat(lines).last().asString().startsWith(
        "restore of store models from app-models-changelog-3 suspended after 20 records in ");
  }
}
