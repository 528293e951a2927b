package io.gradstream.it;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real KRaft Kafka cluster inside the test JVM, from Kafka's own test kit (an internal API:
 * touched here only). Brokers and controllers are combined; internal topics are replicated to
 * every broker, at most three.
 */
public final class KafkaTestCluster implements AutoCloseable {
  private final KafkaClusterTestKit kit;

  private KafkaTestCluster(final KafkaClusterTestKit kit) {
    this.kit = kit;
  }

  public static KafkaTestCluster start(final int brokers) throws Exception {
    final TestKitNodes nodes = new TestKitNodes.Builder()
        .setCombined(true)
        .setNumBrokerNodes(brokers)
        .setNumControllerNodes(1)
        .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
        .build();
    final String replicas = Integer.toString(Math.min(brokers, 3));
    final String minIsr = Integer.toString(Math.max(1, Math.min(brokers, 3) - 1));
    final KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
        .setConfigProp("offsets.topic.replication.factor", replicas)
        .setConfigProp("offsets.topic.num.partitions", "1")
        .setConfigProp("transaction.state.log.replication.factor", replicas)
        .setConfigProp("transaction.state.log.min.isr", minIsr)
        .setConfigProp("transaction.state.log.num.partitions", "1")
        .setConfigProp("default.replication.factor", replicas)
        .setConfigProp("min.insync.replicas", minIsr)
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
    return new KafkaTestCluster(kit);
  }

  public String bootstrapServers() {
    return kit.bootstrapServers();
  }

  @Override
  public void close() throws Exception {
    kit.close();
  }
}
