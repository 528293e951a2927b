package io.gradstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.avro.AvroSafety;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
  private static final ObjectMapper JSON = new ObjectMapper();

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

  /**
   * {@code run}'s flags for an application {@code app} on this broker, with topics of its own
   * ({@code app-in}, {@code -metrics}, {@code -dlq}, {@code -predictions}, {@code -drifts}), JSON
   * events and its state in {@code stateDir}.
   */
  public List<String> runFlags(final String app, final Path stateDir) {
    return new ArrayList<>(List.of("run", "--bootstrap-servers", bootstrapServers(),
        "--application-id", app, "--input-topic", app + "-in", "--metrics-topic",
        app + "-metrics", "--dlq-topic", app + "-dlq", "--predictions-topic",
        app + "-predictions", "--drifts-topic", app + "-drifts", "--input-format", "json",
        "--state-dir", stateDir.toString()));
  }

  /** Each JSON event of {@code lines} (text nodes) to {@code topic}, keyed by its "key". */
  public void sendJsonLines(final String topic, final Iterable<JsonNode> lines)
      throws IOException {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", bootstrapServers(), "acks", "all"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (final JsonNode e : lines) {
        final String key = JSON.readTree(e.asText()).path("key").asText();
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
            e.asText().getBytes(StandardCharsets.UTF_8)));
      }
    }
  }
}
