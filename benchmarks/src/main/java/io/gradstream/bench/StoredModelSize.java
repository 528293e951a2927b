package io.gradstream.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.FeatureScaling;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.Replay;
import io.gradstream.stream.ModelSerde;
import java.io.IOException;
import java.io.StringReader;
import java.util.Locale;
import java.util.Random;

/**
 * Bytes of one stored model (its record in the store and the changelog) after 1,000 events of
 * the bench's kind: 20 named features (10 numbers, 10 categories of a hundred values each)
 * hashed into 2^18, against a dense x of 20 numbers, for each sparse optimizer, with and
 * without scaling. Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.gradstream.bench.StoredModelSize}.
 */
public final class StoredModelSize {
  private static final int EVENTS = 1000;
  private static final int FEATURES = 20;

  private StoredModelSize() {}

  public static void main(final String[] args) throws IOException {
    System.out.println("optimizer  scale     hashed 2^18 (coordinates)   dense n = 20");
    for (final OptimizerKind kind : new OptimizerKind[] {OptimizerKind.SGD,
        OptimizerKind.ADAGRAD, OptimizerKind.FTRL}) {
      for (final FeatureScaling scaling : FeatureScaling.values()) {
        final Model hashed = train(new ModelSpec(1 << 18, true, Activation.SIGMOID, 0.01, null,
            0.0, Loss.LOGISTIC, OptimizerSettings.of(kind), HiddenLayers.NONE,
            FeatureHashing.of(18), scaling), true);
        final ModelSpec denseSpec = new ModelSpec(FEATURES, true, Activation.SIGMOID, 0.01, null,
            0.0, Loss.LOGISTIC, OptimizerSettings.of(kind), HiddenLayers.NONE,
            FeatureHashing.NONE, scaling);
        final Model dense = train(denseSpec, false);
        System.out.printf(Locale.ROOT, "%-10s %-9s %8d B (%5d)              %6d B%n", kind,
            scaling.id(), bytes(hashed, hashedSpec(kind, scaling)), hashed.sparse().size(),
            bytes(dense, denseSpec));
      }
    }
  }

  private static ModelSpec hashedSpec(final OptimizerKind kind, final FeatureScaling scaling) {
    return new ModelSpec(1 << 18, true, Activation.SIGMOID, 0.01, null, 0.0, Loss.LOGISTIC,
        OptimizerSettings.of(kind), HiddenLayers.NONE, FeatureHashing.of(18), scaling);
  }

  private static int bytes(final Model model, final ModelSpec spec) {
    return new ModelSerde(spec.stepSettings()).toBytes(model).length;
  }

  /** One key's model after EVENTS events like the bench's, from JSON Lines through replay. */
  private static Model train(final ModelSpec spec, final boolean named) throws IOException {
    final Random random = new Random(1);
    final StringBuilder lines = new StringBuilder();
    for (int i = 0; i < EVENTS; i++) {
      final ObjectNode event = ModelJson.MAPPER.createObjectNode();
      event.put("key", "k");
      if (named) {
        final ObjectNode features = event.putObject("features");
        for (int j = 0; j < FEATURES; j++) {
          if (j % 2 == 0) {
            features.put("n" + j, random.nextGaussian());
          } else {
            features.put("c" + j, "v" + random.nextInt(100));
          }
        }
      } else {
        final var x = event.putArray("x");
        for (int j = 0; j < FEATURES; j++) {
          x.add(random.nextGaussian());
        }
      }
      event.put("d", random.nextInt(2));
      lines.append(event).append('\n');
    }
    final Replay replay = new Replay(spec);
    replay.train(new StringReader(lines.toString()), (line, reason, detail) -> {
      throw new IllegalStateException("line " + line + ": " + reason + ": " + detail);
    });
    return replay.models().get("k");
  }
}
