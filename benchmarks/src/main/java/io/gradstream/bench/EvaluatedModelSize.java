package io.gradstream.bench;

import io.gradstream.avro.AvroValues;
import io.gradstream.avro.WindowSegment;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.evaluate.DriftSettings;
import io.gradstream.learn.evaluate.EvaluationSpec;
import io.gradstream.learn.optim.OptimizerSettings;
import io.gradstream.replay.Replay;
import io.gradstream.step.EventRules;
import io.gradstream.step.LabelTtl;
import io.gradstream.stream.ModelSerde;
import java.io.IOException;
import java.io.StringReader;
import java.util.Locale;
import java.util.Random;

/**
 * Bytes of one judged model after 1,000 events of the bench's kind (one feature, a bias,
 * sigmoid, squared loss, sgd), one prediction in ten labelled later: its record in the models
 * store (and changelog), and the window segments it keeps in the windows store, not judged,
 * with W = 0 and with W = 1000, with and without a drift detector. Run: {@code java -cp
 * benchmarks/target/benchmarks.jar io.gradstream.bench.EvaluatedModelSize}.
 */
public final class EvaluatedModelSize {
  private static final int EVENTS = 1000;

  private EvaluatedModelSize() {}

  public static void main(final String[] args) throws IOException {
    final ModelSpec spec = new ModelSpec(1, true, Activation.SIGMOID, 0.01, null, 0.0,
        Loss.SQUARED, OptimizerSettings.sgd());
    final String events = events();
    System.out.println("evaluation                 model record   window segments (entries)");
    for (final String[] c : new String[][] {{"not judged", null, null}, {"W = 0", "0", "none"},
        {"W = 1000", "1000", "none"}, {"W = 1000, page-hinkley", "1000", "page-hinkley"},
        {"W = 100", "100", "none"}}) {
      final EvaluationSpec evaluation = c[1] == null ? null
          : new EvaluationSpec(Integer.parseInt(c[1]), DriftSettings.of(c[2], false));
      final Replay replay = new Replay(spec, EventRules.of(LabelTtl.defaults())
          .judging(evaluation));
      replay.train(new StringReader(events), (line, reason, detail) -> {
        throw new IllegalStateException("line " + line + ": " + reason);
      });
      final Model model = replay.models().get("k");
      final long[] segments = new long[2];
      if (model.evaluation() != null) {
        model.evaluation().release((stream, slot, number, samples) -> {
          segments[0]++;
          // the key: the model's ("k") and five bytes of stream and slot
          segments[1] += 1 + 5 + AvroValues.bytes(WindowSegment.getEncoder(),
              new WindowSegment(number, AvroValues.list(samples))).length;
        });
      }
      System.out.printf(Locale.ROOT, "%-26s %8d B     %8d B (%d)%n", c[0],
          new ModelSerde(spec.stepSettings()).toBytes(model).length, segments[1], segments[0]);
    }
  }

  /** JSON Lines: one key, one prediction in ten (its label five events later). */
  private static String events() {
    final Random random = new Random(1);
    final StringBuilder lines = new StringBuilder();
    for (int i = 0; i < EVENTS; i++) {
      final double x = random.nextGaussian();
      final double d = 1 / (1 + Math.exp(-(0.5 * x + 0.25))) + 0.05 * random.nextGaussian();
      if (i % 10 == 9) {
        lines.append("{\"key\":\"k\",\"x\":[").append(x).append("],\"id\":\"p").append(i)
            .append("\"}\n");
        lines.append("{\"key\":\"k\",\"id\":\"p").append(i).append("\",\"d\":").append(d)
            .append("}\n");
      } else {
        lines.append("{\"key\":\"k\",\"x\":[").append(x).append("],\"d\":").append(d)
            .append("}\n");
      }
    }
    return lines.toString();
  }
}
