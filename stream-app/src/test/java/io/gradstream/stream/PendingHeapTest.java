package io.gradstream.stream;

import static io.gradstream.stream.AvroEvents.predict;
import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.Activation;
import io.gradstream.learn.ModelSpec;
import io.gradstream.step.LabelTtl;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * A million predictions waiting for their labels live in RocksDB, not on the heap: the heap after
 * a full collection is about the same with 100,000 of them pending as with 1,000,000.
 */
class PendingHeapTest {
  private static final int FIRST = 100_000;
  private static final int ALL = 1_000_000;

  @Test
  void aMillionPendingPredictionsLeaveTheHeapFlat() throws Exception {
    final ModelSpec spec = new ModelSpec(2, true, Activation.SIGMOID, 0.1, null, 0);
    try (TopologyHarness t = new TopologyHarness(spec,
        new LabelTtl(Duration.ofDays(365), Duration.ZERO), InputFormat.AVRO, Map.of())) {
      // the test driver keeps every record written, the changelog's too, until it is read
      final TestOutputTopic<byte[], byte[]> changelog = t.driver().createOutputTopic(
          "gradstream-test-" + TrainingTopology.PENDING + "-changelog",
          new ByteArrayDeserializer(), new ByteArrayDeserializer());
      long afterFirst = 0;
      for (int i = 0; i < ALL; i++) {
        t.send("model-" + i % 100, predict("prediction-" + i, 1_000_000L + i, i * 1e-6, 1));
        if (i % 10_000 == 9_999) {
          t.predictions.readRecordsToList();
          changelog.readRecordsToList();
        }
        if (i == FIRST - 1) {
          afterFirst = usedHeapAfterGc();
        }
      }
      final long afterAll = usedHeapAfterGc();
      final KeyValueStore<Bytes, byte[]> pending = t.driver().getKeyValueStore(
          TrainingTopology.PENDING);
      assertThat(pending.approximateNumEntries()).isGreaterThan(ALL / 2);
      assertThat(pending.get(PendingStore.storeKey("model-7".getBytes(), "prediction-7")))
          .isNotNull();
      System.out.printf("heap after GC: %d MiB with %,d pending, %d MiB with %,d%n",
          afterFirst >> 20, FIRST, afterAll >> 20, ALL);
      // on the heap they would take well over 100 MiB (x, y, step, time, ids and keys)
      assertThat(afterAll - afterFirst).isLessThan(32L << 20);
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
