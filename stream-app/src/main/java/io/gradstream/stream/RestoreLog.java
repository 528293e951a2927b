package io.gradstream.stream;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Says when a store is rebuilt from its changelog, how much and how long: a restore is why a
 * started instance is not ready yet, and one that reads records on a restart with the same volume
 * means the local state was lost (a volume that is not persistent, an unclean stop with
 * exactly-once). A restore that finds the local state current says nothing.
 */
public final class RestoreLog implements StateRestoreListener {
  private final Consumer<String> lines;
  private final Map<TopicPartition, Long> startedNanos = new ConcurrentHashMap<>();

  /** @param lines where each line goes; called from Kafka Streams' restoring threads */
  public RestoreLog(final Consumer<String> lines) {
    this.lines = lines;
  }

  @Override
  public void onRestoreStart(final TopicPartition changelog, final String store,
      final long startingOffset, final long endingOffset) {
    startedNanos.put(changelog, System.nanoTime());
    if (endingOffset > startingOffset) {
      lines.accept(String.format(Locale.ROOT, "restoring store %s from %s: up to %d records",
          store, changelog, endingOffset - startingOffset));
    }
  }

  @Override
  public void onBatchRestored(final TopicPartition changelog, final String store,
      final long batchEndOffset, final long numRestored) {
    // per batch would flood the log; the start and the end say what an operator needs
  }

  @Override
  public void onRestoreEnd(final TopicPartition changelog, final String store,
      final long totalRestored) {
    final Long started = startedNanos.remove(changelog);
    if (totalRestored > 0) {
      lines.accept(String.format(Locale.ROOT, "restored store %s from %s: %d records in %.1f s",
          store, changelog, totalRestored, seconds(started)));
    }
  }

  @Override
  public void onRestoreSuspended(final TopicPartition changelog, final String store,
      final long totalRestored) {
    final Long started = startedNanos.remove(changelog);
    lines.accept(String.format(Locale.ROOT, "restore of store %s from %s suspended after %d "
        + "records in %.1f s (its task moved to another thread or instance)", store, changelog,
        totalRestored, seconds(started)));
  }

  private static double seconds(final Long startedNanos) {
    return startedNanos == null ? 0 : (System.nanoTime() - startedNanos) / 1e9;
  }
}
