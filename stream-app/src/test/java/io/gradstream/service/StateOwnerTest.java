package io.gradstream.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local state is bound to the cluster that built it and never deleted for looking foreign. */
class StateOwnerTest {
  @TempDir
  Path dir;

  private Path app() {
    return dir.resolve("gradstream");
  }

  /** A task directory with a store file, as Kafka Streams leaves them. */
  private Path someState() throws IOException {
    return Files.writeString(Files.createDirectories(app().resolve("0_0/rocksdb/models"))
        .resolve("000001.sst"), "models");
  }

  @Test
  void theFirstStartRecordsItsClusterAndTheSameClusterStartsAgain() throws IOException {
    assertThat(StateOwner.claim(app(), "cluster-a", "a:9092", false)).isNull();
    assertThat(Files.readString(app().resolve(StateOwner.RECORD))).contains("cluster.id=cluster-a")
        .contains("bootstrap.servers=a\\:9092");
    final Path store = someState();
    assertThat(StateOwner.claim(app(), "cluster-a", "a2:9092", false)).isNull();
    assertThat(store).hasContent("models");
  }

  @Test
  void anotherClustersStateIsRefusedAndKept() throws IOException {
    StateOwner.claim(app(), "cluster-a", "a:9092", false);
    final Path store = someState();
    assertThatThrownBy(() -> StateOwner.claim(app(), "cluster-b", "b:9092", false))
        .isInstanceOf(StateOwner.ForeignStateException.class)
        .hasMessage("the state directory " + app() + " holds this application's state from "
            + "Kafka cluster cluster-a (at a:9092), but Kafka at b:9092 is cluster cluster-b: "
            + "nothing was deleted. Name that cluster with --bootstrap-servers, choose another "
            + "--state-dir, or start afresh on purpose with --reset-local-state (deletes it)");
    assertThat(store).hasContent("models");
    assertThat(Files.readString(app().resolve(StateOwner.RECORD))).contains("cluster-a");
  }

  @Test
  void resetDeletesTheStateOnPurposeAndRecordsTheNewCluster() throws IOException {
    StateOwner.claim(app(), "cluster-a", "a:9092", false);
    final Path store = someState();
    assertThat(StateOwner.claim(app(), "cluster-b", "b:9092", true))
        .isEqualTo("deleted the local state in " + app() + " (--reset-local-state); it starts "
            + "afresh");
    assertThat(store).doesNotExist();
    assertThat(Files.readString(app().resolve(StateOwner.RECORD))).contains("cluster-b");
  }

  @Test
  void stateFromBeforeTheRecordOrAnEmptyDirectoryIsTakenAsThisClusters() throws IOException {
    final Path store = someState();
    assertThat(StateOwner.claim(app(), "cluster-b", "b:9092", false)).isNull();
    assertThat(store).hasContent("models");
    assertThat(Files.readString(app().resolve(StateOwner.RECORD))).contains("cluster-b");
    // a recorded cluster whose state is gone (no task directories) holds nothing to protect
    Files.walk(app().resolve("0_0")).sorted(Comparator.reverseOrder())
        .forEach(p -> p.toFile().delete());
    assertThat(StateOwner.claim(app(), "cluster-c", "c:9092", false)).isNull();
  }
}
