package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.config.ServiceSettings;
import io.gradstream.events.EventEncoder;
import io.gradstream.it.SharedBroker;
import io.gradstream.it.TopicReader;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelAssert;
import io.gradstream.learn.ModelSpec;
import io.gradstream.replay.EventRow;
import io.gradstream.replay.Replay;
import io.gradstream.service.ServiceRunner;
import io.gradstream.step.EventRules;
import io.gradstream.stream.DeadLetterHeaders;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.OnSettingsChange;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardened against bad input: more than 100k random and mutated records interleaved with valid
 * events. The service must keep running with all its stream threads, put every bad record in the
 * dead-letter topic with a reason, and train the valid events exactly as {@code replay} does.
 */
class FuzzedInputIT {
  private static final int FEATURES = 3;
  private static final int KEYS = 10;
  /** Identity activation, so that x = 1e300 really overflows and must be refused. */
  private static final ModelSpec SPEC = new ModelSpec(FEATURES, true, Activation.IDENTITY, 0.01,
      null, 0.0);
  @RegisterExtension
  static final SharedBroker kafka = new SharedBroker();

  @TempDir
  Path dir;

  /** What the test sends, and what replay is told of it (only what can be read as an event). */
  private record Sent(byte[] key, byte[] value, EventRow readable) {}

  @Test
  void avroFuzz() throws Exception {
    final Random random = new Random(2024);
    final EventEncoder avro = EventEncoder.avro();
    final List<Sent> sent = new ArrayList<>();
    int bad = 0;
    for (int i = 0; i < 125_000; i++) {
      final String key = "m" + random.nextInt(KEYS);
      final double[] x = gaussian(random);
      final double d = random.nextGaussian();
      if (random.nextInt(6) == 0) {
        sent.add(readable(key, x, d, avro));
        continue;
      }
      bad++;
      final byte[] good = avro.encode(x, d);
      switch (random.nextInt(12)) {
        case 0 -> sent.add(unreadable(key, randomBytes(random, random.nextInt(200))));
        case 1 -> sent.add(unreadable(key, Arrays.copyOf(good, random.nextInt(good.length))));
        case 2 -> {
          good[2 + random.nextInt(8)] ^= (byte) (1 + random.nextInt(255));
          sent.add(unreadable(key, good));
        }
        case 3 -> sent.add(unreadable(key, hugeArray(good)));
        case 4 -> sent.add(new Sent(null, good, null));
        case 5 -> sent.add(new Sent(new byte[0], good, null));
        case 6 -> sent.add(new Sent(new byte[] {(byte) 0xC3, (byte) 0x28}, good, null));
        case 7 -> sent.add(unreadable(key, null));
        case 8 -> { // non-finite values: read, then refused
          x[random.nextInt(FEATURES)] = new double[] {Double.NaN, Double.POSITIVE_INFINITY,
              Double.NEGATIVE_INFINITY}[random.nextInt(3)];
          sent.add(readable(key, x, random.nextBoolean() ? d : Double.NaN, avro));
        }
        case 9 -> sent.add(readable(key, Arrays.copyOf(x, random.nextInt(FEATURES * 3)), d, avro));
        case 10 -> { // x = 1e300: with trained weights the step overflows and is refused
          x[random.nextInt(FEATURES)] = 1e300;
          sent.add(readable(key, x, d, avro));
        }
        default -> { // subnormals are ordinary numbers: trained
          x[random.nextInt(FEATURES)] = Double.MIN_VALUE * random.nextInt(1000);
          sent.add(readable(key, x, d, avro));
          bad--;
        }
      }
    }
    check(sent, InputFormat.AVRO, "avro", bad);
  }

  @Test
  void jsonFuzz() throws Exception {
    final Random random = new Random(7);
    final EventEncoder json = EventEncoder.json();
    final String[] garbage = {"", "{", "}", "[]", "null", "{\"x\": 1, \"d\": 1}",
        "{\"x\": [1, 2, \"3\"], \"d\": 1}", "{\"x\": [1, 2, 3], \"d\": \"1\"}",
        "{\"x\": [1, 2, 3], \"d\": 1} {}", "{\"x\": [1, 2, 3], \"d\": [1]}",
        "{\"x\": [[1], 2, 3], \"d\": 1}", "{\"d\": 1}", "\u0000\u0001", "{\"x\": [1, 2, 3]"};
    final List<Sent> sent = new ArrayList<>();
    int bad = 0;
    for (int i = 0; i < 30_000; i++) {
      final String key = "j" + random.nextInt(KEYS);
      final double[] x = gaussian(random);
      final double d = random.nextGaussian();
      if (random.nextInt(4) == 0) {
        sent.add(readable(key, x, d, json));
        continue;
      }
      bad++;
      switch (random.nextInt(5)) {
        case 0 -> sent.add(unreadable(key, garbage[random.nextInt(garbage.length)]
            .getBytes(StandardCharsets.UTF_8)));
        case 1 -> sent.add(unreadable(key, randomBytes(random, random.nextInt(100))));
        case 2 -> sent.add(unreadable(key, ("{\"x\": " + "[".repeat(5000) + "1"
            + "]".repeat(5000) + ", \"d\": 1}").getBytes(StandardCharsets.UTF_8)));
        case 3 -> sent.add(readable(key, x, Double.POSITIVE_INFINITY, json));
        default -> {
          final byte[] good = json.encode(x, d);
          sent.add(unreadable(key, Arrays.copyOf(good, random.nextInt(good.length))));
        }
      }
    }
    check(sent, InputFormat.JSON, "json", bad);
  }

  private static Sent readable(final String key, final double[] x, final double d,
      final EventEncoder encoder) {
    return new Sent(key.getBytes(StandardCharsets.UTF_8), encoder.encode(x, d),
        new EventRow(key, x, d, EventRow.Kind.VALID));
  }

  private static Sent unreadable(final String key, final byte[] value) {
    return new Sent(key.getBytes(StandardCharsets.UTF_8), value, null);
  }

  private void check(final List<Sent> sent, final InputFormat format, final String name,
      final int bad) throws Exception {
    final List<EventRow> readable = sent.stream().filter(s -> s.readable() != null)
        .map(Sent::readable).toList();
    final Replay replay = new Replay(SPEC);
    replay.train(new StringReader(EventRow.jsonLines(readable)), (line, reason, detail) -> { });
    final long trained = replay.models().values().stream().mapToLong(Model::count).sum();
    final long unreadable = sent.size() - readable.size();
    assertThat(sent.size() - trained).as("bad records sent").isGreaterThanOrEqualTo(bad);
    assertThat((long) sent.size()).isGreaterThan(100_000 / (format == InputFormat.JSON ? 4 : 1));

    final TopicNames topics = new TopicNames(name + "-in", name + "-metrics", name + "-dlq");
    final ServiceSettings settings = new ServiceSettings(kafka.bootstrapServers(), name + "-fuzz",
        topics, format, Files.createTempDirectory(dir, "state"), 0, 20, OnSettingsChange.REFUSE,
        Map.of("commit.interval.ms", "200"));
    try (ServiceRunner service = new ServiceRunner(settings, SPEC, EventRules.defaults(),
        new PrintWriter(new StringWriter()), () -> { }, null)) {
      final int threadsBefore = aliveThreads(service);
      produce(topics.input(), sent);
      final List<ConsumerRecord<byte[], byte[]>> metrics = TopicReader.read(
          kafka.bootstrapServers(), topics.metrics(), (int) trained, Duration.ofSeconds(120));
      assertThat(metrics).hasSize((int) trained);
      final List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(
          kafka.bootstrapServers(), topics.deadLetters(),
          (int) (unreadable + replay.invalid()), Duration.ofSeconds(60));
      assertThat(dead).hasSize((int) (unreadable + replay.invalid()));
      assertThat(dead).allSatisfy(r ->
          assertThat(r.headers().lastHeader(DeadLetterHeaders.REASON)).isNotNull());

      assertThat(service.failed()).isFalse();
      assertThat(aliveThreads(service)).isEqualTo(threadsBefore).isPositive();
      ModelAssert.assertAllBitIdentical(key -> service.models().find(key, true),
          replay.models());
      System.out.printf("%s fuzz: %d records, %d trained, %d dead letters (%d unreadable)%n",
          name, sent.size(), trained, dead.size(), unreadable);
    }
  }

  private static int aliveThreads(final ServiceRunner service) throws Exception {
    final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + service.httpPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    final Matcher m = Pattern.compile("(?m)^kafka_stream_alive_stream_threads\\{[^}]*} ([0-9.]+)")
        .matcher(r.body());
    assertThat(m.find()).as("alive stream threads metric").isTrue();
    return (int) Double.parseDouble(m.group(1));
  }

  private static void produce(final String topic, final List<Sent> sent) {
    final Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (final Sent s : sent) {
        producer.send(new ProducerRecord<>(topic, s.key(), s.value()));
      }
    }
  }

  /** A valid header and an array length of a billion items: must not exhaust the heap. */
  private static byte[] hugeArray(final byte[] good) {
    final byte[] huge = Arrays.copyOf(good, 10 + 5);
    // zig-zag varint of 1_000_000_000 (Avro's array block count)
    final byte[] count = {(byte) 0x80, (byte) 0xA8, (byte) 0xD6, (byte) 0xB9, 0x07};
    System.arraycopy(count, 0, huge, 10, count.length);
    return huge;
  }

  private static double[] gaussian(final Random random) {
    final double[] x = new double[FEATURES];
    for (int i = 0; i < FEATURES; i++) {
      x[i] = random.nextGaussian();
    }
    return x;
  }

  private static byte[] randomBytes(final Random random, final int n) {
    final byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
