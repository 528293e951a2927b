package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.avro.Prediction;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.demo.EmbeddedKafka;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end, against numbers gradstream did not compute: the other integration tests compare the
 * service with {@code replay}, which runs the same learner, and so prove transport and
 * exactly-once, not arithmetic. Here the service runs as a user starts it (the jar, its flags, a
 * real broker, JSON events) and its served models and predictions are held against a hand-worked
 * example (one neuron) and against torch in float64 (networks with SGD, Adam and momentum with
 * weight decay, from {@code network-torch.json}, which {@code src/test/python/network_reference.py}
 * wrote with Debian's python3-torch). A prediction's y is held against a forward pass written out
 * here over torch's final weights.
 */
class IndependentValuesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final SharedBroker kafka = new SharedBroker();

  @TempDir
  Path dir;

  /**
   * Identity, bias, η = 0.1, from zero. Event 1: x = (1, 2), d = 1: y = 0, e = 1, so w = 0.1·1·x
   * = (0.1, 0.2), b = 0.1. Event 2: x = (2, 0), d = 0: y = 0.1·2 + 0.2·0 + 0.1 = 0.3, e = −0.3, so
   * w = (0.1 − 0.1·0.3·2, 0.2) = (0.04, 0.2), b = 0.1 − 0.03 = 0.07. Losses ½·1² + ½·0.3² = 0.545.
   * A prediction for x = (1, 1) is then 0.04 + 0.2 + 0.07 = 0.31.
   */
  @Test
  void oneNeuronAsWorkedByHand() throws Exception {
    try (ServiceProcess service = start("hand", "--features", "2", "--bias", "--activation",
        "identity", "--learning-rate", "0.1")) {
      send("hand", "h", "{\"x\": [1, 2], \"d\": 1}", "{\"x\": [2, 0], \"d\": 0}",
          "{\"id\": \"q\", \"x\": [1, 1]}");
      final JsonNode model = service.awaitModel("h", 2);
      assertThat(model.at("/w/0").asDouble()).isCloseTo(0.04, within(1e-15));
      assertThat(model.at("/w/1").asDouble()).isCloseTo(0.2, within(1e-15));
      assertThat(model.path("b").asDouble()).isCloseTo(0.07, within(1e-15));
      assertThat(model.path("lossSum").asDouble()).isCloseTo(0.545, within(1e-15));
      assertThat(prediction("hand").getY()).isCloseTo(0.31, within(1e-15));
    }
  }

  /** Cases of network-torch.json: SGD, Adam with the logistic loss, momentum with decay. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tanh-identity-squared-sgd", "relu-sigmoid-logistic-adam",
      "tanh-identity-huber-momentum-decay"})
  void networksAsTorchTrainsThem(final String name) throws Exception {
    final JsonNode c = torchCase(name);
    final List<String> flags = new ArrayList<>(List.of("--features",
        c.get("features").asText(), "--hidden", join(c.get("hidden")), "--hidden-activation",
        c.get("hiddenActivation").asText(), "--activation", c.get("activation").asText(),
        "--loss", c.get("loss").asText(), "--optimizer", c.get("optimizer").asText(),
        "--learning-rate", c.get("lr").asText(), "--init-seed", c.get("seed").asText()));
    if (c.has("huberDelta")) {
      flags.addAll(List.of("--huber-delta", c.get("huberDelta").asText()));
    }
    if (c.has("weightDecay")) {
      flags.addAll(List.of("--weight-decay", c.get("weightDecay").asText()));
    }
    final String app = "torch-" + name.hashCode();
    try (ServiceProcess service = start(app, flags.toArray(String[]::new))) {
      final List<String> events = new ArrayList<>();
      for (int t = 0; t < c.get("d").size(); t++) {
        events.add("{\"x\": " + c.get("x").get(t) + ", \"d\": " + c.get("d").get(t) + "}");
      }
      final JsonNode probe = c.get("x").get(0);
      events.add("{\"id\": \"q\", \"x\": " + probe + "}");
      send(app, "net", events.toArray(String[]::new));
      final JsonNode model = service.awaitModel("net", c.get("d").size());
      final JsonNode layers = model.get("layers");
      assertThat(layers).hasSize(c.get("layers").size());
      int checked = 0;
      for (int l = 0; l < layers.size(); l++) {
        for (final String part : new String[] {"w", "b"}) {
          final List<Double> served = flatten(layers.get(l).get(part));
          final List<Double> torch = flatten(c.get("layers").get(l).get(part));
          assertThat(served).hasSameSizeAs(torch);
          for (int i = 0; i < torch.size(); i++) {
            assertThat(served.get(i)).as("%s layer %d %s[%d]", name, l + 1, part, i)
                .isCloseTo(torch.get(i), within(1e-9 * Math.max(1, Math.abs(torch.get(i)))));
            checked++;
          }
        }
      }
      assertThat(checked).isPositive();
      assertThat(model.path("lossSum").asDouble()).isCloseTo(c.get("lossSum").asDouble(),
          within(1e-9 * Math.max(1, c.get("lossSum").asDouble())));
      final double expected = forward(c, probe);
      assertThat(prediction(app).getY()).as("the prediction on the topic")
          .isCloseTo(expected, within(1e-9));
      assertThat(JSON.readTree(service.post("/models/net/predict", "{\"x\": " + probe + "}"))
          .path("y").asDouble()).as("POST /models/net/predict").isCloseTo(expected,
          within(1e-9));
    }
  }

  /** y for x through torch's final layers, written out: hidden activations, then the output's. */
  private static double forward(final JsonNode c, final JsonNode x) {
    double[] a = new double[x.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = x.get(i).asDouble();
    }
    final JsonNode layers = c.get("layers");
    for (int l = 0; l < layers.size(); l++) {
      final JsonNode w = layers.get(l).get("w");
      final double[] next = new double[w.size()];
      for (int j = 0; j < next.length; j++) {
        double z = layers.get(l).get("b").get(j).asDouble();
        for (int i = 0; i < a.length; i++) {
          z += w.get(j).get(i).asDouble() * a[i];
        }
        next[j] = activate(l == layers.size() - 1 ? c.get("activation").asText()
            : c.get("hiddenActivation").asText(), z);
      }
      a = next;
    }
    return a[0];
  }

  private static double activate(final String f, final double z) {
    return switch (f) {
      case "identity" -> z;
      case "tanh" -> Math.tanh(z);
      case "sigmoid" -> 1 / (1 + Math.exp(-z));
      case "relu" -> Math.max(0, z);
      case "leaky_relu" -> z > 0 ? z : 0.01 * z;
      default -> throw new IllegalArgumentException(f);
    };
  }

  private ServiceProcess start(final String app, final String... model) throws Exception {
    final List<String> args = new ArrayList<>(List.of("run", "--bootstrap-servers",
        kafka.bootstrapServers(), "--application-id", app, "--input-topic", app + "-in",
        "--metrics-topic", app + "-metrics", "--dlq-topic", app + "-dlq", "--predictions-topic",
        app + "-predictions", "--input-format", "json", "--state-dir",
        dir.resolve(app).toString()));
    args.addAll(List.of(model));
    final ServiceProcess service = ServiceProcess.start(dir.resolve(app + ".log"), Map.of(),
        EmbeddedKafka.freePort(), args.toArray(String[]::new));
    service.awaitReady(Duration.ofSeconds(90));
    return service;
  }

  private static void send(final String app, final String key, final String... values)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (final String value : values) {
        producer.send(new ProducerRecord<>(app + "-in", key.getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8)));
      }
    }
  }


  private static Prediction prediction(final String app) throws Exception {
    final List<ConsumerRecord<byte[], byte[]>> records = TopicReader.read(
        kafka.bootstrapServers(), app + "-predictions", 1, Duration.ofSeconds(30));
    assertThat(records).hasSize(1);
    return ReleasedSchemas.predictions().decode(records.get(0).value());
  }

  private static JsonNode torchCase(final String name) throws Exception {
    try (InputStream in = IndependentValuesIT.class.getResourceAsStream("/network-torch.json")) {
      for (final JsonNode c : JSON.readTree(in)) {
        if (c.get("name").asText().equals(name)) {
          return c;
        }
      }
    }
    throw new AssertionError("no case " + name);
  }

  private static String join(final JsonNode ints) {
    final List<String> parts = new ArrayList<>();
    ints.forEach(i -> parts.add(i.asText()));
    return String.join(",", parts);
  }

  private static List<Double> flatten(final JsonNode node) {
    final List<Double> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.addAll(flatten(n)));
    } else {
      out.add(node.asDouble());
    }
    return out;
  }
}
