package io.gradstream.it;

import io.gradstream.avro.AvroSafety;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real single-broker Kafka for all the tests of a class, started before the first and closed
 * after the last: {@code @RegisterExtension static final SharedBroker kafka = new SharedBroker();}
 * then {@code kafka.bootstrapServers()}. A test that needs a broker of its own (several brokers,
 * one to stop) starts a {@link KafkaTestCluster} itself.
 */
public final class SharedBroker implements BeforeAllCallback, AfterAllCallback {
  private KafkaTestCluster cluster;

  @Override
  public void beforeAll(final ExtensionContext context) throws Exception {
    AvroSafety.install();
    cluster = KafkaTestCluster.start(1);
  }

  @Override
  public void afterAll(final ExtensionContext context) throws Exception {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }
}
