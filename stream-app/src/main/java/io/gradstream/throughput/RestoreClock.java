package io.gradstream.throughput;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * How long an application's stores took to restore, from the first store's start to the last
 * one's end, and how many changelog records they read: what a new instance (or one whose state is
 * gone, as every in-memory store's is at a restart) waits before it processes again, once the
 * group has given it its tasks.
 */
final class RestoreClock implements StateRestoreListener {
  private final AtomicInteger restoring = new AtomicInteger();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong firstStart = new AtomicLong();
  private volatile long lastEnd;

  @Override
  public void onRestoreStart(final TopicPartition partition, final String store,
      final long startingOffset, final long endingOffset) {
    firstStart.compareAndSet(0, System.nanoTime());
    restoring.incrementAndGet();
  }

  @Override
  public void onBatchRestored(final TopicPartition partition, final String store,
      final long batchEndOffset, final long batchRecords) {
    records.addAndGet(batchRecords);
  }

  @Override
  public void onRestoreEnd(final TopicPartition partition, final String store,
      final long totalRestored) {
    lastEnd = System.nanoTime();
    restoring.decrementAndGet();
  }

  /**
   * Waits until the application runs with no restore open after at least one ended, then
   * answers {@code restore RECORDS SECONDS}; {@code restore 0 NaN} when nothing was restored
   * within ten minutes.
   */
  String await(final KafkaStreams streams) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (streams.state() == KafkaStreams.State.RUNNING && lastEnd != 0
          && restoring.get() == 0) {
        return "restore " + records.get() + " " + (lastEnd - firstStart.get()) / 1e9;
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    return "restore 0 NaN";
  }
}
