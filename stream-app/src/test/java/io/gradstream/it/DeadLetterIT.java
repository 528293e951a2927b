package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.config.ServiceSettings;
import io.gradstream.events.ModelControl;
import io.gradstream.events.Outcome;
import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.service.ServiceRunner;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import io.gradstream.stream.DeadLetterHeaders;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.OnSettingsChange;
import io.gradstream.stream.TopicNames;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every reason a record is refused, on a real broker whose input topic has several partitions:
 * each dead letter carries the original key, value, timestamp and headers (in their order, before
 * ours), and headers that name the partition and offset the record really had, its reason, a
 * detail for a person, and the exception's class when one was thrown. The topology tests check
 * the same with one partition, where a wrong partition or a lost key cannot show.
 */
class DeadLetterIT {
  private static final int PARTITIONS = 3;
  private static final String TRACE = "trace-id";
  /** Logistic, so that labels outside [0, 1] are refused; a large rate, so that steps overflow. */
  private static final ModelSpec SPEC = new ModelSpec(2, true, Activation.SIGMOID, 10.0, null,
      0.0, Loss.LOGISTIC);
  private static final long T0 = 1_700_000_000_000L;

  @RegisterExtension
  static final SharedBroker kafka = new SharedBroker();

  @TempDir
  Path dir;

  /** One record to send, the reason it must be refused for (null: it is used), and why. */
  private record Case(String reason, byte[] key, String value, String control,
      boolean exception) {
    static Case used(final String key, final String value) {
      return new Case(null, utf8(key), value, null, false);
    }

    static Case refused(final String reason, final byte[] key, final String value,
        final boolean exception) {
      return new Case(reason, key, value, null, exception);
    }
  }

  /**
   * A hashed model's: named features hashed into 2^10 coordinates, at most 3 terms an event and
   * 2 coordinates a model, numbers scaled.
   */
  private static final ModelSpec HASHED = new ModelSpec(1 << 10, true, Activation.SIGMOID, 0.5,
      null, 0, Loss.LOGISTIC, OptimizerSettings.sgd(), HiddenLayers.NONE,
      new FeatureHashing(10, List.of(), 3, 2), FeatureScaling.STANDARD);

  @Test
  void everyReasonKeepsTheRecordAndNamesWhereItCameFrom() throws Exception {
    final List<Case> cases = List.of(
        Case.refused("missing-key", null, "{\"x\": [1, 2], \"d\": 1}", false),
        Case.refused("missing-key", new byte[0], "{\"x\": [1, 2], \"d\": 1}", false),
        Case.refused("missing-key", new byte[] {(byte) 0xC3, 0x28}, "{\"x\": [1, 2], \"d\": 1}",
            false),
        Case.refused("undecodable", utf8("a"), "{\"x\": [1, 2", true),
        Case.refused("incomplete-event", utf8("a"), "{\"d\": 1}", false),
        Case.refused("wrong-feature-count", utf8("a"), "{\"x\": [1, 2, 3], \"d\": 1}", false),
        Case.refused("non-finite-feature", utf8("a"), "{\"x\": [1, \"NaN\"], \"d\": 1}", false),
        Case.refused("non-finite-label", utf8("a"), "{\"x\": [1, 2], \"d\": \"Infinity\"}",
            false),
        Case.refused("label-out-of-range", utf8("a"), "{\"x\": [1, 2], \"d\": 2}", false),
        Case.refused("feature-out-of-range", utf8("a"), "{\"x\": [1.7e308, 0], \"d\": 1}", false),
        Case.refused("unknown-prediction", utf8("a"), "{\"id\": \"never-made\", \"d\": 1}",
            false),
        // trained: w = 10 · 0.5 · 1e300; then a prediction's w·x overflows
        Case.used("big", "{\"x\": [1e300, 0], \"d\": 1}"),
        Case.refused("non-finite-prediction", utf8("big"),
            "{\"id\": \"p0\", \"x\": [1e300, 0]}", false),
        // from zero weights: w = 10 · 0.5 · 1e308 is beyond the doubles
        Case.refused("non-finite-step", utf8("fresh"), "{\"x\": [1e308, 0], \"d\": 1}",
            false),
        Case.used("late", "{\"id\": \"p1\", \"x\": [1, 2], \"eventTime\": " + T0 + "}"),
        Case.refused("label-too-late", utf8("late"),
            "{\"id\": \"p1\", \"d\": 1, \"eventTime\": " + (T0 + 90_000) + "}", false),
        new Case("unknown-control", utf8("a"), "", "explode", false),
        new Case("model-misfit", utf8("a"), "not a model", ModelControl.SET.code(), true),
        Case.refused("wrong-input", utf8("a"), "{\"features\": {\"f\": 1}, \"d\": 1}", false));
    // what only a hashed model refuses, from a service of hashed models
    final List<Case> hashedCases = List.of(
        Case.used("h", "{\"features\": {\"f\": 1, \"g\": \"x\"}, \"d\": 1}"),
        Case.refused("too-many-terms", utf8("h1"),
            "{\"features\": {\"a\": 1, \"b\": 2, \"c\": 3, \"e\": 4}, \"d\": 1}", false),
        Case.refused("wrong-input", utf8("h2"), "{\"x\": [1, 2], \"d\": 1}", false),
        Case.refused("non-finite-feature", utf8("h3"), "{\"features\": {\"f\": \"NaN\"}, "
            + "\"d\": 1}", false),
        Case.refused("model-full", utf8("h4"), "{\"features\": {\"a\": \"p\", \"b\": \"q\", "
            + "\"c\": \"r\"}, \"d\": 1}", false),
        Case.refused("duplicate-feature", utf8("h5"), "{\"features\": {\"f\": 1, \"f\": 2}, "
            + "\"d\": 1}", false));

    // every reason there is: a new one must be added here (a registry's two, of registry-framed
    // events, are held by RegistryFramingIT)
    assertThat(Stream.concat(cases.stream(), hashedCases.stream()).map(Case::reason)
        .filter(r -> r != null).distinct())
        .containsExactlyInAnyOrderElementsOf(Arrays.stream(Outcome.values())
            .filter(Outcome::refused)
            .filter(o -> o != Outcome.UNKNOWN_SCHEMA_ID && o != Outcome.SCHEMA_NOT_RESOLVABLE)
            .map(Outcome::code).toList());
    assertDeadLettered("dlq", SPEC, cases);
    assertDeadLettered("dlq-hashed", HASHED, hashedCases);
  }

  /**
   * Runs a service of {@code spec} models on a topic of its own, sends {@code cases} and holds
   * each dead letter to its record and reason.
   */
  private void assertDeadLettered(final String prefix, final ModelSpec spec,
      final List<Case> cases) throws Exception {
    final String in = prefix + "-in";
    final TopicNames topics = new TopicNames(in, prefix + "-metrics", prefix + "-dead",
        prefix + "-predictions");
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(in, PARTITIONS, (short) 1),
          new NewTopic(topics.deadLetters(), 2, (short) 1))).all().get();
    }

    final ServiceSettings settings = new ServiceSettings(kafka.bootstrapServers(), prefix + "-app",
        topics, InputFormat.JSON, Files.createTempDirectory(dir, "state"), 0, 20,
        OnSettingsChange.REFUSE, Map.of("commit.interval.ms", "100"));
    final EventRules rules = new EventRules(new LabelTtl(Duration.ofMinutes(1),
        Duration.ofMinutes(1)), 1e308);
    try (ServiceRunner service = new ServiceRunner(settings, spec, rules,
        new PrintWriter(new StringWriter()), () -> { }, null)) {
      final Map<String, Sent> sent = send(in, cases);
      final long refused = cases.stream().filter(c -> c.reason() != null).count();
      final List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(
          kafka.bootstrapServers(), topics.deadLetters(), (int) refused, Duration.ofSeconds(60));
      assertThat(dead.stream().map(r -> text(r.headers().lastHeader(TRACE))))
          .containsExactlyInAnyOrderElementsOf(sent.entrySet().stream()
              .filter(e -> e.getValue().c().reason() != null).map(Map.Entry::getKey).toList());
      for (final ConsumerRecord<byte[], byte[]> letter : dead) {
        final String trace = text(letter.headers().lastHeader(TRACE));
        final Sent origin = sent.get(trace);
        assertThat(origin).as("dead letter %s was sent", trace).isNotNull();
        final Case c = origin.c();
        assertThat(text(letter.headers().lastHeader(DeadLetterHeaders.REASON)))
            .as(trace).isEqualTo(c.reason());
        assertThat(text(letter.headers().lastHeader(DeadLetterHeaders.TOPIC))).isEqualTo(in);
        assertThat(text(letter.headers().lastHeader(DeadLetterHeaders.PARTITION))).as(trace)
            .isEqualTo(Integer.toString(origin.where().partition()));
        assertThat(text(letter.headers().lastHeader(DeadLetterHeaders.OFFSET))).as(trace)
            .isEqualTo(Long.toString(origin.where().offset()));
        assertThat(text(letter.headers().lastHeader(DeadLetterHeaders.DETAIL))).as(trace)
            .isNotBlank();
        final Header exception = letter.headers().lastHeader(DeadLetterHeaders.EXCEPTION);
        if (c.exception()) {
          assertThat(exception).as(trace).isNotNull();
          assertThat(Class.forName(text(exception))).isAssignableTo(Throwable.class);
        } else {
          assertThat(exception).as(trace).isNull();
        }
        assertThat(letter.key()).as(trace).isEqualTo(c.key());
        assertThat(letter.value()).as(trace).isEqualTo(utf8(c.value()));
        assertThat(letter.timestamp()).as(trace).isEqualTo(origin.timestamp());
        // the original headers first, in their order, then ours
        final List<String> names = new ArrayList<>();
        letter.headers().forEach(h -> names.add(h.key()));
        final List<String> original = c.control() == null ? List.of(TRACE, "origin")
            : List.of(TRACE, "origin", ModelControl.HEADER);
        assertThat(names.subList(0, original.size())).as(trace).isEqualTo(original);
        assertThat(names.subList(original.size(), names.size()))
            .allMatch(n -> n.startsWith("gradstream.error."));
        assertThat(text(letter.headers().lastHeader("origin"))).isEqualTo("dead-letter-it");
      }
      assertThat(dead.stream().map(ConsumerRecord::partition).distinct().count())
          .as("letters spread over the dead-letter topic's partitions by key").isGreaterThan(1);
      assertThat(sent.values().stream().map(s -> s.where().partition()).distinct().count())
          .isEqualTo(PARTITIONS);
      assertThat(service.failed()).isFalse();
    }
  }

  private record Sent(Case c, RecordMetadata where, long timestamp) {}

  /** Each case to a partition of its own turn, with a trace id and one more header. */
  private static Map<String, Sent> send(final String topic, final List<Case> cases)
      throws Exception {
    final Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    final Map<String, Sent> sent = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < cases.size(); i++) {
        final Case c = cases.get(i);
        final String trace = (c.reason() == null ? "used" : c.reason()) + "#" + i;
        final RecordHeaders headers = new RecordHeaders();
        headers.add(TRACE, utf8(trace));
        headers.add("origin", utf8("dead-letter-it"));
        if (c.control() != null) {
          headers.add(ModelControl.HEADER, utf8(c.control()));
        }
        // a key's records must share a partition to keep their order; keyless ones spread
        final int partition = c.key() == null || c.key().length == 0 ? i % PARTITIONS
            : Math.floorMod(Arrays.hashCode(c.key()), PARTITIONS);
        final long timestamp = T0 + i;
        final RecordMetadata where = producer.send(new ProducerRecord<>(topic, partition,
            timestamp, c.key(), utf8(c.value()), headers)).get();
        sent.put(trace, new Sent(c, where, timestamp));
      }
    }
    return sent;
  }

  private static byte[] utf8(final String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(final Header h) {
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
