package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.config.ServiceSettings;
import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.LrSchedule;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.query.ModelLookup;
import io.gradstream.replay.FtrlProximalReference;
import io.gradstream.service.ServiceRunner;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.OnSettingsChange;
import io.gradstream.stream.TopicNames;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hashed models with scaling trained through a real broker equal what scikit-learn's
 * FeatureHasher plus torch give (scaling-reference.json: a squared-loss neuron with SGD), and
 * FTRL-Proximal written for the tests over scikit-learn's vectors (a logistic model with two
 * interactions), to 1e-9.
 */
class HashedReferenceIT {
  @RegisterExtension
  static final SharedBroker kafka = new SharedBroker();

  @TempDir
  Path dir;

  private static JsonNode hashed() throws Exception {
    try (InputStream in = HashedReferenceIT.class.getResourceAsStream(
        "/scaling-reference.json")) {
      return new ObjectMapper().readTree(in).get("hashed");
    }
  }

  private static ModelSpec spec(final JsonNode hashed, final Activation f, final Loss loss,
      final double rate, final OptimizerSettings optimizer) {
    final List<FeatureHashing.Interaction> interactions = new ArrayList<>();
    hashed.get("interactions").forEach(pair -> interactions.add(new FeatureHashing.Interaction(
        pair.get(0).textValue(), pair.get(1).textValue())));
    return new ModelSpec(1 << 18, true, f, rate, null, 0.0, loss, optimizer, HiddenLayers.NONE,
        new FeatureHashing(18, interactions, 50), FeatureScaling.STANDARD);
  }

  @Test
  void aScaledSquaredLossNeuronIsTorchSgdOnScikitLearnsScaledVectors() throws Exception {
    final JsonNode hashed = hashed();
    final JsonNode torch = hashed.get("sgdSquared");
    final Map<String, Model> models = train("ref-sgd", spec(hashed, Activation.IDENTITY,
        Loss.SQUARED, torch.get("lr").doubleValue(), OptimizerSettings.sgd()),
        hashed.get("events"), "d");
    for (final Map.Entry<String, JsonNode> expected : torch.get("models").properties()) {
      final Model model = models.get(expected.getKey());
      assertThat(model.bias()).isCloseTo(expected.getValue().get("b").doubleValue(),
          within(1e-9));
      final JsonNode w = expected.getValue().get("w");
      assertThat(model.sparse().size()).isEqualTo(w.size());
      w.properties().forEach(wi -> assertThat(model.sparse().weightAt(
          Integer.parseInt(wi.getKey()))).as("%s w[%s]", expected.getKey(), wi.getKey())
          .isCloseTo(wi.getValue().doubleValue(), within(1e-9)));
    }
  }

  @Test
  void aScaledFtrlLogisticModelWithInteractionsIsFtrlProximal() throws Exception {
    final JsonNode hashed = hashed();
    final Map<String, Model> models = train("ref-ftrl", spec(hashed, Activation.SIGMOID,
        Loss.LOGISTIC, 0.5, new OptimizerSettings(OptimizerKind.FTRL, null, null, null, null,
            null, null, 1.0, 0.01, 0.1, LrSchedule.CONSTANT, null, 0)),
        hashed.get("events"), "clicked");
    final FtrlProximalReference ftrl = FtrlProximalReference.train(hashed.get("events"),
        "clicked", 0.5, 1.0, 0.01, 0.1);
    for (final Map.Entry<String, Model> m : models.entrySet()) {
      assertThat(m.getValue().bias()).isCloseTo(ftrl.b().get(m.getKey()), within(1e-9));
      ftrl.w().get(m.getKey()).forEach((i, wi) -> assertThat(m.getValue().sparse().weightAt(i))
          .as("%s w[%d]", m.getKey(), i).isCloseTo(wi, within(1e-9)));
    }
  }

  /**
   * Sends the events as JSON to a service of {@code spec} models of its own and returns its
   * models once each key has taken its steps.
   */
  private Map<String, Model> train(final String prefix, final ModelSpec spec,
      final JsonNode events, final String label) throws Exception {
    final String in = prefix + "-in";
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(in, 3, (short) 1))).all().get();
    }
    final ServiceSettings settings = new ServiceSettings(kafka.bootstrapServers(), prefix + "-app",
        new TopicNames(in, prefix + "-metrics", prefix + "-dead", prefix + "-predictions"),
        InputFormat.JSON, Files.createTempDirectory(dir, "state"), 0, 20, OnSettingsChange.REFUSE,
        Map.of("commit.interval.ms", "100"));
    final Map<String, Long> steps = new HashMap<>();
    try (ServiceRunner service = new ServiceRunner(settings, spec, EventRules.of(
        LabelTtl.defaults()), new PrintWriter(new StringWriter()), () -> { }, null);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (final JsonNode e : events) {
        final ObjectNode event = new ObjectMapper().createObjectNode();
        event.set("features", e.get("features"));
        event.put("d", e.get(label).doubleValue());
        final String key = e.get("key").textValue();
        steps.merge(key, 1L, Long::sum);
        producer.send(new ProducerRecord<>(in, key.getBytes(StandardCharsets.UTF_8),
            event.toString().getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
      final Map<String, Model> models = new HashMap<>();
      final long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (models.size() < steps.size() && System.nanoTime() < deadline) {
        for (final Map.Entry<String, Long> key : steps.entrySet()) {
          try {
            final Optional<Model> model = service.models().find(key.getKey(), true);
            if (model.isPresent() && model.get().count() == key.getValue()) {
              models.put(key.getKey(), model.get());
            }
          } catch (final ModelLookup.UnavailableException starting) {
            // not queryable until its stream thread runs: asked again below
          }
        }
        Thread.sleep(100);
      }
      assertThat(models.keySet()).as("models that took all their steps")
          .isEqualTo(steps.keySet());
      assertThat(service.failed()).isFalse();
      return models;
    }
  }
}
