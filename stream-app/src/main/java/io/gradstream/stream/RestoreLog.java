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
 * exactly-once). The start is said with the first records read, and then always its end: a
 * restore that reads nothing (after a clean stop under exactly-once the rest of the changelog is
 * a transaction marker) says nothing at all, and a start is never left without its end.
 */
public final class RestoreLog implements StateRestoreListener {
  private final Consumer<String> lines;
  /** Restores begun and not ended: when, how far they may read, and whether that was said. */
  private final Map<TopicPartition, Started> started = new ConcurrentHashMap<>();

  private static final class Started {
    final long nanos = System.nanoTime();
    final long upTo;
    volatile boolean said;

    Started(final long upTo) {
      this.upTo = upTo;
    }
  }

  /** @param lines where each line goes; called from Kafka Streams' restoring threads */
  public RestoreLog(final Consumer<String> lines) {
    this.lines = lines;
  }

  @Override
  public void onRestoreStart(final TopicPartition changelog, final String store,
      final long startingOffset, final long endingOffset) {
    started.put(changelog, new Started(endingOffset - startingOffset));
  }

  @Override
  public void onBatchRestored(final TopicPartition changelog, final String store,
      final long batchEndOffset, final long numRestored) {
    // per batch would flood the log: the first one that holds records says that it started
    final Started start = started.get(changelog);
    if (start != null && !start.said && numRestored > 0) {
      start.said = true;
      lines.accept(String.format(Locale.ROOT, "restoring store %s from %s: up to %d records",
          store, changelog, start.upTo));
    }
  }

  @Override
  public void onRestoreEnd(final TopicPartition changelog, final String store,
      final long totalRestored) {
    final Started start = started.remove(changelog);
    if (totalRestored > 0 || start != null && start.said) {
      lines.accept(String.format(Locale.ROOT, "restored store %s from %s: %d records in %.1f s",
          store, changelog, totalRestored, seconds(start)));
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
    return start == null ? 0 : (System.nanoTime() - start.nanos) / 1e9;
  }
}
