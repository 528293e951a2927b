package io.gradstream.cli;

import io.gradstream.demo.TeacherSource.Teacher;
import io.gradstream.learn.Model;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.learn.evaluate.Metrics;
import io.gradstream.learn.evaluate.ModelEvaluation;
import io.gradstream.metrics.IntervalMean;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.query.ModelLookup;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One progress line of the demo: events/s, mean loss and the loss of served predictions since the
 * previous line (from the
 * service's own loss meter), and one model's weights next to the teacher's.
 */
final class DemoProgress {
  private final IntervalMean loss;
  /** ½(d − y)² of the predictions served earlier, as their labels arrive. */
  private final IntervalMean servedLoss;
  private final ModelLookup models;
  private final String key;
  /** The teacher labelling the events now (it changes with --teacher-drift). */
  private final Supplier<Teacher> teacher;
  private final long start = System.nanoTime();
  private long lastTime = start;

  DemoProgress(final TrainingMeters meters, final ModelLookup models, final String key,
      final Supplier<Teacher> teacher) {
    this.loss = meters.lossMean();
    this.servedLoss = meters.servedLossMean();
    this.models = models;
    this.key = key;
    this.teacher = teacher;
  }

  String line() {
    final long now = System.nanoTime();
    final double seconds = (now - lastTime) / 1e9;
    final long events = loss.advance();
    final String meanLoss = events == 0 ? "-" : format(loss.mean());
    final String meanServed = servedLoss.advance() == 0 ? "-" : format(servedLoss.mean());
    lastTime = now;
    return String.format(Locale.ROOT, "[%4.0f s] %6.0f events/s  mean loss %s  served %s  %s: %s"
        + "  | teacher: %s", (now - start) / 1e9, events / seconds, meanLoss, meanServed, key,
        weights(), teacherWeights());
  }

  private String weights() {
    final Optional<Model> model;
    try {
      model = models.find(key, false);
    } catch (final ModelLookup.UnavailableException e) {
      return "(store not ready)";
    }
    return model.map(m -> (m.layers() != null ? "network " + m.layers() + " after " + m.count()
        + " steps" + accuracy(m) : vector(m.weights()) + (m.hasBias() ? " b "
        + format(m.bias()) : "")) + drifts(m)).orElse("(not trained yet)");
  }

  /** A classifier of K classes' accuracy over its window, when it is judged. */
  private static String accuracy(final Model model) {
    final ModelEvaluation evaluation = model.evaluation();
    if (evaluation == null || evaluation.kind() != EvaluationKind.MULTICLASS) {
      return "";
    }
    final Metrics metrics = evaluation.window() != null ? evaluation.window()
        : evaluation.total();
    return ", accuracy " + format(metrics.accuracy());
  }

  /** A model's drifts so far, once it has had one. */
  private static String drifts(final Model model) {
    final long drifts = model.evaluation() == null ? 0 : model.evaluation().driftCount();
    return drifts == 0 ? "" : " (" + drifts + (drifts == 1 ? " drift" : " drifts") + ")";
  }

  private String teacherWeights() {
    final Teacher teacher = this.teacher.get();
    if (teacher.curved() || teacher.classes() != null) {
      return teacher.toString();
    }
    return vector(teacher.weights()) + (teacher.bias() != 0 ? " b " + format(teacher.bias()) : "");
  }

  private static String vector(final double[] v) {
    final StringBuilder s = new StringBuilder("w [");
    for (int i = 0; i < v.length; i++) {
      s.append(i > 0 ? ", " : "").append(format(v[i]));
    }
    return s.append(']').toString();
  }

  private static String format(final double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
