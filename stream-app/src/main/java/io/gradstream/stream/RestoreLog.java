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
 * exactly-once). A restore that finds nothing to read says nothing; one that said it started says
 * how it ended, even with no record read (the rest of the changelog was transaction markers, as it
 * is after every clean stop under exactly-once): a start line alone looks like a hang.
 */
public final class RestoreLog implements StateRestoreListener {
  private final Consumer<String> lines;
  /** When each restore started, and whether that was said. */
  private final Map<TopicPartition, Started> started = new ConcurrentHashMap<>();

  private record Started(long nanos, boolean said) {}

  /** @param lines where each line goes; called from Kafka Streams' restoring threads */
  public RestoreLog(final Consumer<String> lines) {
    this.lines = lines;
  }

  @Override
  public void onRestoreStart(final TopicPartition changelog, final String store,
      final long startingOffset, final long endingOffset) {
    final boolean said = endingOffset > startingOffset;
    started.put(changelog, new Started(System.nanoTime(), said));
    if (said) {
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
    final Started start = started.remove(changelog);
    if (totalRestored > 0 || start != null && start.said()) {
      lines.accept(String.format(Locale.ROOT, "restored store %s from %s: %d records in %.1f s%s",
          store, changelog, totalRestored, seconds(start), totalRestored == 0
              ? " (the local state was current; the rest was transaction markers)" : ""));
    }
  }

  @Override
  public void onRestoreSuspended(final TopicPartition changelog, final String store,
      final long totalRestored) {
    final Started start = started.remove(changelog);
    lines.accept(String.format(Locale.ROOT, "restore of store %s from %s suspended after %d "
        + "records in %.1f s (its task moved to another thread or instance)", store, changelog,
        totalRestored, seconds(start)));
  }

  private static double seconds(final Started start) {
    return start == null ? 0 : (System.nanoTime() - start.nanos()) / 1e9;
  }
}
