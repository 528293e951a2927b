package io.gradstream.bench;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Classes;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One step of a model of K classes over n features (one layer of K rows, its softmax and
 * cross-entropy, the optimizer over all K·(n + 1) parameters), to hold against K single neurons'
 * steps at the same n ({@link NeuronBenchmark}). Labels cycle through a fixed set of events
 * labelled by a linear teacher, so the model keeps learning.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MulticlassBenchmark {
  @Param({"10"})
  int classes;

  @Param({"100"})
  int features;

  @Param({"sgd"})
  String optimizer;

  private Learner learner;
  private Model model;
  private double[][] xs;
  private double[] ds;
  private int next;
  private final StepResult step = new StepResult();

  @Setup
  public void setUp() {
    final Random random = new Random(1);
    xs = new double[1024][features];
    ds = new double[xs.length];
    for (int e = 0; e < xs.length; e++) {
      int best = 0;
      double top = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < features; i++) {
        xs[e][i] = random.nextGaussian();
      }
      for (int k = 0; k < classes; k++) {
        final double score = xs[e][k % features] * (k % 2 == 0 ? 1 : -1);
        if (score > top) {
          top = score;
          best = k;
        }
      }
      ds[e] = best;
    }
    learner = Learner.of(new ModelSpec(features, false, Activation.SIGMOID, 0.1 / features,
        null, 0.0, Loss.crossEntropy(Classes.numbered(classes)),
        OptimizerSettings.of(OptimizerKind.named(optimizer))));
    model = learner.newModel();
  }

  @Benchmark
  public Verdict step() {
    final int e = next++ & 1023;
    return learner.learn(model, xs[e], ds[e], step);
  }
}
