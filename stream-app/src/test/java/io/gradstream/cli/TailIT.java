package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.avro.Prediction;
import io.gradstream.it.SharedBroker;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.stream.Fixtures;
import io.gradstream.stream.ModelSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code gradstream tail} against a real broker, on the records of every gradstream topic: each
 * value decoded by the schema version that wrote it, a dead letter's headers shown, aborted
 * transactions left out, the last records by default.
 */
class TailIT {
  @RegisterExtension
  static final SharedBroker kafka = new SharedBroker();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<JsonNode> tail(final String... args) throws Exception {
    final List<String> all = new ArrayList<>(List.of("tail", "--bootstrap-servers",
        kafka.bootstrapServers()));
    all.addAll(List.of(args));
    final MainAccess.Result r = MainAccess.execute(Map.of(), all.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    final List<JsonNode> lines = new ArrayList<>();
    for (final String line : r.out().strip().split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  private static KafkaProducer<byte[], byte[]> producer(final String transactionalId) {
    final Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    if (transactionalId != null) {
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static byte[] utf8(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyTopicsRecordsAreReadableJsonLines() throws Exception {
    try (KafkaProducer<byte[], byte[]> p = producer(null)) {
      // the input: an Avro event of the current version, one of the first version, and JSON
      p.send(new ProducerRecord<>("events", utf8("k1"), AvroValues.bytes(LabeledEvent
          .getEncoder(), new LabeledEvent(List.of(0.5, -1.0), 0.25, Instant.ofEpochMilli(7),
          "p-1", null, null))));
      p.send(new ProducerRecord<>("events", utf8("k1"),
          Fixtures.hexLines("/released/labeled-event-v1.hex").get(0)));
      p.send(new ProducerRecord<>("events", utf8("k2"), utf8("{\"x\": [1.5], \"d\": 2}")));
      // metrics: one neuron's (version 2, as the service writes it) and one of version 1
      p.send(new ProducerRecord<>("metrics", utf8("sensor-7"),
          Fixtures.hexLines("/released/training-metric-v2.hex").get(0)));
      p.send(new ProducerRecord<>("metrics", utf8("sensor-7"),
          Fixtures.hexLines("/released/training-metric-v1.hex").get(0)));
      p.send(new ProducerRecord<>("predictions", utf8("k1"), AvroValues.bytes(Prediction
          .getEncoder(), new Prediction("k1", "p-1", 0.75, 3L, Instant.ofEpochMilli(9),
          "events", 0, 0L, List.of(0.75, 0.25), "cat", "learning-rate=0.1"))));
      // a dead letter: the original (undecodable) bytes and the reason in its headers
      final ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>("dlq", utf8("k3"),
          new byte[] {(byte) 0xC3, 0x01, 1, 2, 3});
      dead.headers().add("gradstream.error.reason", utf8("undecodable"));
      dead.headers().add("gradstream.error.detail", utf8("not a LabeledEvent"));
      p.send(dead);
      final Model model = new Model(new double[] {0.5, -2}, true, 0.25, 4, 1.5);
      p.send(new ProducerRecord<>("changelog", utf8("k1"), new ModelSerde(new ModelSpec(2, true,
          Activation.TANH, 0.1, null, 0).stepSettings()).toBytes(model)));
    }

    final List<JsonNode> events = tail("events", "--from-beginning");
    assertThat(events).hasSize(3);
    assertThat(events.get(0).get("schema").asText()).isEqualTo("LabeledEvent");
    assertThat(events.get(0).get("value").get("x").toString()).isEqualTo("[0.5,-1.0]");
    assertThat(events.get(0).get("value").get("id").asText()).isEqualTo("p-1");
    assertThat(events.get(1).get("value").get("x").toString()).isEqualTo("[0.5,-1.25,3.0]");
    assertThat(events.get(2).has("schema")).isFalse();
    assertThat(events.get(2).get("value").get("d").asInt()).isEqualTo(2);
    assertThat(events.get(2).get("key").asText()).isEqualTo("k2");

    final List<JsonNode> metrics = tail("metrics", "--from-beginning", "--key", "sensor-7");
    assertThat(metrics).hasSize(2);
    assertThat(metrics.get(0).get("value").get("updateNorm").asDouble()).isEqualTo(0.001825);
    assertThat(metrics.get(0).get("value").get("labelDelayMs").asLong()).isEqualTo(3000);
    assertThat(metrics.get(1).get("value").get("step").asLong()).isEqualTo(12);
    assertThat(metrics.get(1).get("value").get("weights").toString()).isEqualTo("[0.4,-0.3]");

    final JsonNode prediction = tail("predictions").get(0);
    assertThat(prediction.get("value").get("y").asDouble()).isEqualTo(0.75);
    assertThat(prediction.get("value").get("modelStep").asLong()).isEqualTo(3);
    assertThat(prediction.get("value").get("probabilities").toString()).isEqualTo("[0.75,0.25]");
    assertThat(prediction.get("value").get("label").asText()).isEqualTo("cat");

    final JsonNode letter = tail("dlq").get(0);
    assertThat(letter.get("headers").get("gradstream.error.reason").asText())
        .isEqualTo("undecodable");
    assertThat(letter.get("valueBase64").asText()).isEqualTo("wwEBAgM=");
    assertThat(letter.has("schema")).isFalse();

    final JsonNode stored = tail("changelog").get(0);
    assertThat(stored.get("schema").asText()).isEqualTo("ModelState");
    assertThat(stored.get("value").get("weights").toString()).isEqualTo("[0.5,-2.0]");
    assertThat(stored.get("value").get("settings").get("activation").asText()).isEqualTo("tanh");
  }

  /** Read committed by default: an aborted transaction's records are not shown. */
  @Test
  void onlyCommittedRecordsByDefaultAndTheLastOnesUnlessFromTheBeginning() throws Exception {
    try (KafkaProducer<byte[], byte[]> p = producer("tail-test")) {
      p.initTransactions();
      p.beginTransaction();
      for (int i = 0; i < 15; i++) {
        p.send(new ProducerRecord<>("committed", utf8("k"), utf8("{\"n\": " + i + "}")));
      }
      p.commitTransaction();
      p.beginTransaction();
      p.send(new ProducerRecord<>("committed", utf8("k"), utf8("{\"n\": 99}")));
      p.flush();
      p.abortTransaction();
    }
    final List<JsonNode> all = tail("committed", "--from-beginning");
    assertThat(all).hasSize(15).noneMatch(l -> l.get("value").get("n").asInt() == 99);
    assertThat(tail("committed", "--from-beginning", "--read-uncommitted"))
        .anyMatch(l -> l.get("value").get("n").asInt() == 99);
    // two offsets of commit and abort markers, and an aborted record, stand between the last
    // records and the end: -n counts records, not offsets
    final List<JsonNode> last = tail("committed", "-n", "5");
    assertThat(last).extracting(l -> l.get("value").get("n").asInt())
        .containsExactly(10, 11, 12, 13, 14);
  }

  /**
   * An exactly-once producer writes a commit marker after every transaction: with one record per
   * transaction, half the offsets are markers. And a key's last records may lie far back.
   */
  @Test
  void theLastNRecordsOfATransactionalTopicAndOfOneKeyHoweverFarBack() throws Exception {
    try (KafkaProducer<byte[], byte[]> p = producer("tail-each")) {
      p.initTransactions();
      for (int i = 0; i < 40; i++) {
        p.beginTransaction();
        p.send(new ProducerRecord<>("each", utf8(i % 10 == 3 ? "rare" : "common"),
            utf8("{\"n\": " + i + "}")));
        p.commitTransaction();
      }
    }
    assertThat(tail("each", "-n", "7")).extracting(l -> l.get("value").get("n").asInt())
        .containsExactly(33, 34, 35, 36, 37, 38, 39);
    assertThat(tail("each", "-n", "3", "--key", "rare"))
        .extracting(l -> l.get("value").get("n").asInt()).containsExactly(13, 23, 33);

    final List<String> args = List.of("tail", "--bootstrap-servers", kafka.bootstrapServers(),
        "each", "-n", "6", "--key", "rare");
    final MainAccess.Result fewer = MainAccess.execute(Map.of(), args.toArray(String[]::new));
    assertThat(fewer.code()).isZero();
    assertThat(fewer.out().strip().lines()).hasSize(4);
    assertThat(fewer.err().strip()).isEqualTo("gradstream tail: 4 of 6 records of key 'rare' in "
        + "partition 0, read back to offset 0, its beginning");
  }
}
