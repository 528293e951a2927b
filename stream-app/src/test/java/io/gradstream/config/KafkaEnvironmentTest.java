package io.gradstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** KAFKA_* variables: every Kafka client and Streams setting passes, a misspelling does not. */
class KafkaEnvironmentTest {
  @Test
  void settingsOfEveryClientAndTheirPrefixedFormsAreKnown() {
    final Map<String, String> env = Map.ofEntries(
        Map.entry("KAFKA_BOOTSTRAP_SERVERS", "k:1"),
        Map.entry("KAFKA_SASL_JAAS_CONFIG", "x"),
        Map.entry("KAFKA_STATESTORE_CACHE_MAX_BYTES", "0"),
        Map.entry("KAFKA_NUM_STANDBY_REPLICAS", "1"),
        Map.entry("KAFKA_PRODUCER_LINGER_MS", "5"),
        Map.entry("KAFKA_MAIN_CONSUMER_MAX_POLL_RECORDS", "100"),
        Map.entry("KAFKA_RESTORE_CONSUMER_FETCH_MAX_BYTES", "100"),
        Map.entry("KAFKA_ADMIN_RETRIES", "3"),
        Map.entry("KAFKA_TOPIC_MIN_INSYNC_REPLICAS", "2"),
        Map.entry("KAFKA_CLIENT_TAG_ZONE", "eu-1a"),
        Map.entry("KAFKA_CONFIG_PROVIDERS", "file"),
        Map.entry("KAFKA_HEAP_OPTS", "-Xmx1g"),
        Map.entry("KAFKA_SERVICE_PORT_BROKER", "9092"),
        Map.entry("KAFKA_PORT_9092_TCP_PROTO", "tcp"));
    assertThat(KafkaEnvironment.unknownVariable(env)).isNull();
    assertThat(KafkaEnvironment.properties(env)).containsEntry("main.consumer.max.poll.records",
        "100").containsEntry("client.tag.zone", "eu-1a").doesNotContainKey("heap.opts")
        .doesNotContainKey("service.port.broker").doesNotContainKey("port.9092.tcp.proto");
  }

  @Test
  void aMisspellingIsNamedWithTheClosestSetting() {
    assertThat(KafkaEnvironment.unknownVariable(Map.of("KAFKA_SECURITY_PROTOCL", "SSL",
        "KAFKA_BOOTSTRAP_SERVERS", "k:1"))).isEqualTo("unknown Kafka setting "
        + "KAFKA_SECURITY_PROTOCL in the environment (security.protocl); did you mean "
        + "KAFKA_SECURITY_PROTOCOL? (KAFKA_<PROPERTY> sets a Kafka client or Streams property)");
    assertThat(KafkaEnvironment.unknownVariable(Map.of("KAFKA_WHATEVER_ELSE_ENTIRELY", "1")))
        .startsWith("unknown Kafka setting KAFKA_WHATEVER_ELSE_ENTIRELY in the environment "
            + "(whatever.else.entirely) (KAFKA_");
    assertThat(KafkaEnvironment.unknownProperty(Map.of("producer.lingr.ms", "5"), "app.properties"))
        .isEqualTo("unknown Kafka setting 'producer.lingr.ms' in app.properties; did you mean "
            + "producer.linger.ms?");
  }
}
