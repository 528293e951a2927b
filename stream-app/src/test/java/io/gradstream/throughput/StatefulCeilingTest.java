package io.gradstream.throughput;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.optim.OptimizerKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The stateful ceiling does per event what gradstream must at the least: its key's value, the
 * size of gradstream's stored model, read, changed and written back, and one record forwarded as
 * it came.
 */
class StatefulCeilingTest {
  @Test
  void eachEventReadsAndWritesItsKeysValueAndForwardsOneRecord() throws Exception {
    final ThroughputBench.Setup setup = new ThroughputBench.Setup(10, 2, 1, OptimizerKind.SGD,
        BenchKind.TRAIN, "exactly_once_v2", 1, Map.of(), new int[0], 0, 1000, "none", 0);
    final int size = ThroughputBench.storedModelBytes(setup);
    assertThat(size).as("a judged neuron's stored bytes").isGreaterThan(100);
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ceiling-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    final Path state = Files.createTempDirectory("ceiling");
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    try (TopologyTestDriver driver = new TopologyTestDriver(ThroughputBench.topology(
        BenchApp.STATEFUL, setup, props, "in", "out"), props)) {
      final TestInputTopic<byte[], byte[]> in = driver.createInputTopic("in",
          new ByteArraySerializer(), new ByteArraySerializer());
      final TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic("out",
          new ByteArrayDeserializer(), new ByteArrayDeserializer());
      final byte[] a = "a".getBytes(StandardCharsets.UTF_8);
      final byte[] b = "b".getBytes(StandardCharsets.UTF_8);
      for (final byte[] key : List.of(a, b, a, a)) {
        in.pipeInput(key, new byte[] {7, 8, 9});
      }
      final List<KeyValue<byte[], byte[]>> forwarded = out.readKeyValuesToList();
      assertThat(forwarded).hasSize(4);
      assertThat(forwarded).allSatisfy(kv -> assertThat(kv.value).containsExactly(7, 8, 9));
      final KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(StatefulCeiling.STORE);
      assertThat(store.get(Bytes.wrap(a))).hasSize(size).startsWith((byte) 3);
      assertThat(store.get(Bytes.wrap(b))).hasSize(size).startsWith((byte) 1);
    }
  }
}
