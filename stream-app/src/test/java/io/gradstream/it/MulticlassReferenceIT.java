package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.cli.MulticlassReplayTest;
import io.gradstream.cli.ReplayEvaluationTest;
import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.stream.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Through a real broker, as a user runs it: the multiclass-torch streams of one layer of 3 named
 * classes (SGD, weight decay; labels by name and by index) and of a 4-class network with Adam, fed
 * to {@code run} with the flags a user gives, learn at {@code GET /models/{key}} what torch's
 * cross_entropy and torch.optim learn in float64, to 1e-9, with sklearn's log loss and accuracy;
 * each label no class takes is a dead letter with its reason; {@code POST
 * /models/{key}/predict} answers the class probabilities and label.
 */
class MulticlassReferenceIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final SharedBroker kafka = new SharedBroker();

  @TempDir
  Path dir;

  static Stream<Arguments> cases() throws Exception {
    return MulticlassReplayTest.references().stream().limit(2)
        .map(c -> Arguments.of(c.path("name").asText(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theServiceLearnsAsTorchsCrossEntropy(final String name, final JsonNode c)
      throws Exception {
    final String app = "multiclass-" + name;
    final List<String> args = kafka.runFlags(app, dir.resolve(app));
    args.addAll(MulticlassReplayTest.flags(c));
    try (ServiceProcess service = ServiceProcess.start(dir.resolve(app + ".log"), Map.of(),
        EmbeddedKafka.freePort(), args.toArray(String[]::new))) {
      service.awaitReady(Duration.ofSeconds(90));
      kafka.sendJsonLines(app + "-in", c.path("lines"));
      long trained = 0;
      for (final Map.Entry<String, JsonNode> m : c.path("models").properties()) {
        final JsonNode expected = m.getValue();
        final JsonNode served = service.awaitModel(m.getKey(), expected.path("count").asLong());
        MulticlassReplayTest.assertModel(name + " " + m.getKey(), served, expected);
        assertThat(served.path("classes")).hasSize(c.path("classes").asInt());
        ReplayEvaluationTest.assertClose(m.getKey(),
            served.path("evaluation").path("total"), expected.path("evaluation"));
        trained += expected.path("count").asLong();

        final double[] x = new double[c.path("features").asInt()];
        Arrays.fill(x, 0.5);
        final JsonNode answer = JSON.readTree(service.post("/models/" + m.getKey()
            + "/predict", "{\"x\": " + Arrays.toString(x) + "}"));
        final double[] p = probabilities(served, x);
        assertThat(answer.path("probabilities")).as(answer.toString()).hasSize(p.length);
        int best = 0;
        for (int k = 0; k < p.length; k++) {
          assertThat(answer.path("probabilities").get(k).asDouble()).isCloseTo(p[k],
              within(1e-12));
          best = p[k] > p[best] ? k : best;
        }
        assertThat(answer.path("label")).isEqualTo(served.path("classes").get(best));
        assertThat(answer.path("y").asDouble()).isCloseTo(p[best], within(1e-12));
      }
      final int refused = c.path("lines").size() - (int) trained;
      final List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(
          kafka.bootstrapServers(), app + "-dlq", refused, Duration.ofSeconds(30));
      assertThat(dead).hasSize(refused);
      for (final ConsumerRecord<byte[], byte[]> r : dead) {
        assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(),
            StandardCharsets.UTF_8)).isEqualTo("label-out-of-range");
      }
    }
  }

  /**
   * softmax of the scores the served model's parameters give x, computed here: its layers (or
   * one layer's w and b) from the input, tanh below the output.
   */
  private static double[] probabilities(final JsonNode model, final double[] x) {
    final JsonNode layers = model.has("layers") ? model.path("layers")
        : JSON.createArrayNode().add(model);
    double[] a = x;
    for (int l = 0; l < layers.size(); l++) {
      final JsonNode w = layers.get(l).path("w");
      final double[] z = new double[w.size()];
      for (int j = 0; j < z.length; j++) {
        z[j] = layers.get(l).path("b").get(j).asDouble();
        for (int i = 0; i < a.length; i++) {
          z[j] += w.get(j).get(i).asDouble() * a[i];
        }
        if (l < layers.size() - 1) {
          z[j] = Math.tanh(z[j]);
        }
      }
      a = z;
    }
    double sum = 0.0;
    for (final double z : a) {
      sum += Math.exp(z);
    }
    final double[] p = new double[a.length];
    for (int k = 0; k < p.length; k++) {
      p[k] = Math.exp(a[k]) / sum;
    }
    return p;
  }
}
