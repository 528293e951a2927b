package io.gradstream.cli;

import static io.gradstream.cli.FeedToModelsIT.FEATURES;
import static io.gradstream.cli.FeedToModelsIT.KEYS;
import static io.gradstream.cli.FeedToModelsIT.SPEC;
import static io.gradstream.cli.FeedToModelsIT.assertServedModelsEqual;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.config.ServiceSettings;
import io.gradstream.it.RegistryServer;
import io.gradstream.it.SharedBroker;
import io.gradstream.it.TcpGate;
import io.gradstream.it.TopicReader;
import io.gradstream.learn.Model;
import io.gradstream.registry.RegistrySettings;
import io.gradstream.replay.EventRow;
import io.gradstream.replay.Replay;
import io.gradstream.service.ServiceRunner;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import io.gradstream.stream.DeadLetterHeaders;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.MetricsDetail;
import io.gradstream.stream.OnSettingsChange;
import io.gradstream.stream.OutputFormat;
import io.gradstream.stream.StoreKind;
import io.gradstream.stream.TopicNames;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events in a Schema Registry's framing, through a real broker and a real registry (Apicurio's,
 * started by the test), written and read by the registry's own serializers; the models are
 * FeedToModelsIT's.
 */
class RegistryFramingIT {
  @RegisterExtension
  static final SharedBroker kafka = new SharedBroker();

  @TempDir
  Path dir;

  /**
   * A topic in a Schema Registry's framing, as a Kafka shop's producers write it: events written
   * by Apicurio Registry's own Avro serializer (LabeledEvent itself, and a producer's own record
   * of floats), read through a real registry, train the models replay computes from the same
   * events; a record of a schema that does not resolve and one of an id the registry never gave
   * are dead letters of their own reasons; the metrics, written registry-framed under the topics'
   * subjects, decode with Apicurio's own deserializer, and {@code tail} shows them decoded.
   */
  @Test
  void registryFramedEventsFromARegistrysSerializerTrainTheModelsOfReplay() throws Exception {
    final String app = "registry";
    final TopicNames topics = new TopicNames(app + "-in", app + "-metrics", app + "-dlq",
        app + "-predictions", app + "-drifts", app + "-champions");
    // x in floats, as the producer's own record carries them: replay reads the same doubles
    final List<EventRow> rows = new ArrayList<>();
    for (final EventRow row : EventRow.random(new Random(31), 300, FEATURES, KEYS)) {
      if (!row.valid(FEATURES) || row.d() == null) {
        continue;
      }
      final double[] x = new double[row.x().length];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) row.x()[i];
      }
      rows.add(new EventRow(row.key(), x, row.d(), EventRow.Kind.VALID));
    }
    final Schema producers = new Schema.Parser().parse("""
        {"type": "record", "name": "Reading", "namespace": "com.example.sensors", "fields": [
          {"name": "site", "type": "string"},
          {"name": "x", "type": {"type": "array", "items": "float"}},
          {"name": "d", "type": "double"}]}""");
    final Schema unresolvable = new Schema.Parser().parse("""
        {"type": "record", "name": "Reading", "namespace": "com.example.text", "fields": [
          {"name": "x", "type": "string"}, {"name": "d", "type": "string"}]}""");
    try (RegistryServer registry = RegistryServer.start(dir.resolve("registry.log"))) {
      final Map<String, Object> serde = Map.of("apicurio.registry.url", registry.nativeUrl(),
          "apicurio.registry.auto-register", "true", "apicurio.registry.as-confluent", "true",
          "apicurio.registry.use-id", "contentId", "apicurio.registry.headers.enabled", "false");
      final Map<String, Object> producerConfig = new HashMap<>(serde);
      producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
      // a serializer given as an object is not configured by the producer
      final AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
      serializer.configure(serde, false);
      try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig,
          new StringSerializer(), serializer)) {
        for (int i = 0; i < rows.size(); i++) {
          final EventRow row = rows.get(i);
          final Object value;
          if (i % 2 == 0) {
            value = LabeledEvent.newBuilder().setX(AvroValues.list(row.x())).setD(row.d())
                .build();
          } else {
            final GenericRecord reading = new GenericData.Record(producers);
            final List<Float> floats = new ArrayList<>();
            for (final double v : row.x()) {
              floats.add((float) v);
            }
            reading.put("site", "north-" + i);
            reading.put("x", floats);
            reading.put("d", row.d());
            value = reading;
          }
          producer.send(new ProducerRecord<>(topics.input(), row.key(), value));
        }
        final GenericRecord text = new GenericData.Record(unresolvable);
        text.put("x", "1,2,3");
        text.put("d", "high");
        producer.send(new ProducerRecord<>(topics.input(), "bad", text));
      }
      try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(
          "bootstrap.servers", kafka.bootstrapServers()), new ByteArraySerializer(),
          new ByteArraySerializer())) {
        raw.send(new ProducerRecord<>(topics.input(), "bad".getBytes(StandardCharsets.UTF_8),
            new byte[] {0, 0, 0, 0x7F, (byte) 0xFF, 2, 0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F}));
      }

      final ServiceSettings settings = new ServiceSettings(kafka.bootstrapServers(), app, topics,
          InputFormat.AVRO_REGISTRY, Files.createTempDirectory(dir, "state"), 0, 20,
          OnSettingsChange.REFUSE, Map.of("commit.interval.ms", "100"), MetricsDetail.SUMMARY,
          null, null, null, StoreKind.ROCKSDB, OutputFormat.AVRO_REGISTRY,
          RegistrySettings.of(registry.url(), null, Map.of()));
      final Replay replay = new Replay(SPEC);
      replay.train(new StringReader(EventRow.jsonLines(rows)), (line, reason, detail) -> { });
      try (ServiceRunner service = new ServiceRunner(settings, SPEC, EventRules.of(
          LabelTtl.defaults()), new PrintWriter(new StringWriter()), () -> { }, null)) {
        final List<ConsumerRecord<byte[], byte[]>> metrics = TopicReader.read(
            kafka.bootstrapServers(), topics.metrics(), rows.size(), Duration.ofSeconds(90));
        assertThat(metrics).hasSize(rows.size());
        assertServedModelsEqual(service, replay.models());

        try (AvroKafkaDeserializer<GenericRecord> deserializer = new AvroKafkaDeserializer<>()) {
          deserializer.configure(serde, false);
          final Map<String, GenericRecord> last = new TreeMap<>();
          for (final ConsumerRecord<byte[], byte[]> r : metrics) {
            assertThat(r.value()[0]).isZero();
            final GenericRecord metric = deserializer.deserialize(r.topic(), r.value());
            assertThat(metric.getSchema().getName()).isEqualTo("TrainingMetric");
            last.put(metric.get("modelKey").toString(), metric);
          }
          assertThat(last.keySet()).isEqualTo(replay.models().keySet());
          last.forEach((key, metric) -> {
            final Model model = replay.models().get(key);
            assertThat((long) metric.get("step")).as(key).isEqualTo(model.count());
            assertThat(AvroValues.array(doubles(metric.get("weights")))).as(key)
                .isEqualTo(model.weights());
            assertThat((double) metric.get("bias")).as(key).isEqualTo(model.bias());
          });
        }

        final Map<String, String> reasons = new TreeMap<>();
        for (final ConsumerRecord<byte[], byte[]> dead : TopicReader.read(
            kafka.bootstrapServers(), topics.deadLetters(), 2, Duration.ofSeconds(30))) {
          reasons.put(new String(dead.headers().lastHeader(DeadLetterHeaders.REASON).value(),
              StandardCharsets.UTF_8), new String(dead.headers().lastHeader(
                  DeadLetterHeaders.DETAIL).value(), StandardCharsets.UTF_8));
        }
        assertThat(reasons.keySet()).containsExactly("schema-not-resolvable",
            "unknown-schema-id");
        assertThat(reasons.get("unknown-schema-id")).isEqualTo("schema id 32767 is not in the "
            + "schema registry at " + registry.url());
        assertThat(reasons.get("schema-not-resolvable")).contains("does not resolve against "
            + "LabeledEvent");
      }

      // the subjects of the topic-name strategy, and the id a registry-aware reader finds
      final String subjects = registry.get("/subjects").body();
      for (final String topic : List.of(topics.input(), topics.metrics(), topics.predictions(),
          topics.drifts())) {
        assertThat(subjects).contains("\"" + topic + "-value\"");
      }
      final StringWriter out = new StringWriter();
      final StringWriter err = new StringWriter();
      assertThat(Main.execute(new String[] {"tail", topics.metrics(), "--bootstrap-servers",
          kafka.bootstrapServers(), "-n", "1", "--schema-registry-url", registry.url()},
          Map.of(), new PrintWriter(out), new PrintWriter(err))).as(err.toString()).isZero();
      final JsonNode line = new ObjectMapper().readTree(out.toString());
      assertThat(line.path("schema").asText()).isEqualTo("TrainingMetric");
      final JsonNode registered = new ObjectMapper().readTree(registry.post("/subjects/"
          + topics.metrics() + "-value", new ObjectMapper().createObjectNode().put("schema",
              ReleasedSchemas.load(ReleasedSchemas.TRAINING_METRIC_V2).toString()).toString())
          .body());
      assertThat(line.path("schemaId").asInt()).as(registered.toString())
          .isEqualTo(registered.path("id").asInt());
      assertThat(line.path("value").path("loss").isNumber()).isTrue();

      assertNothingIsLostWhileTheRegistryIsAway(registry, topics, rows.size(), replay.models());
    }
  }

  /**
   * A second application reads the same events with an empty cache of schemas while the registry
   * cannot be reached (it talks to it through a gate that is shut: connections refused): it
   * waits, and once the gate opens it trains every event into the models of replay, and
   * dead-letters the same two.
   */
  private void assertNothingIsLostWhileTheRegistryIsAway(final RegistryServer registry,
      final TopicNames first, final int events, final Map<String, Model> expected)
      throws Exception {
    final String app = "registry-away";
    final TopicNames topics = new TopicNames(first.input(), app + "-metrics", app + "-dlq",
        app + "-predictions", app + "-drifts", app + "-champions");
    try (TcpGate gate = TcpGate.before(registry.port())) {
      final ServiceSettings settings = new ServiceSettings(kafka.bootstrapServers(), app, topics,
          InputFormat.AVRO_REGISTRY, Files.createTempDirectory(dir, "state"), 0, 20,
          OnSettingsChange.REFUSE, Map.of("commit.interval.ms", "100"), MetricsDetail.SUMMARY,
          null, null, null, StoreKind.ROCKSDB, OutputFormat.AVRO, RegistrySettings.of(
              registry.url().replace(":" + registry.port() + "/", ":" + gate.port() + "/"), null,
              Map.of()));
      try (ServiceRunner service = new ServiceRunner(settings, SPEC, EventRules.of(
          LabelTtl.defaults()), new PrintWriter(new StringWriter()), () -> { }, null)) {
        Thread.sleep(4000); // it has begun to read, and waits
        final HttpResponse<String> none = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://localhost:" + service.httpPort() + "/models")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode() != 200 || none.body().equals("[]")).as(none.body())
            .isTrue();
        gate.open();
        assertThat(TopicReader.read(kafka.bootstrapServers(), topics.metrics(), events,
            Duration.ofSeconds(90))).hasSize(events);
        assertServedModelsEqual(service, expected);
        assertThat(TopicReader.read(kafka.bootstrapServers(), topics.deadLetters(), 2,
            Duration.ofSeconds(30))).extracting(r -> new String(r.headers().lastHeader(
                DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
            .containsExactlyInAnyOrder("schema-not-resolvable", "unknown-schema-id");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Double> doubles(final Object avroArray) {
    return (List<Double>) avroArray;
  }
}
