package io.gradstream.bench;

import io.gradstream.learn.Activation;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.Network;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import java.util.Arrays;
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
 * One step of a network (forward through every layer, backward by the chain rule, the optimizer
 * over every parameter), by default the 4-16-8-1 tanh network the README's target names. Events
 * cycle through a fixed set so that the network keeps learning rather than sitting at one point.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NetworkBenchmark {
  /** Features, then the hidden widths, joined by '-'. */
  @Param({"4-16-8"})
  String shape;

  @Param({"tanh"})
  String hiddenActivation;

  @Param({"sgd"})
  String optimizer;

  private Network network;
  private Model model;
  private double[][] xs;
  private double[] ds;
  private int next;
  private final StepResult step = new StepResult();

  @Setup
  public void setUp() {
    final int[] sizes = Arrays.stream(shape.split("-")).mapToInt(Integer::parseInt).toArray();
    final int n = sizes[0];
    final Random random = new Random(1);
    xs = new double[1024][n];
    ds = new double[xs.length];
    for (int k = 0; k < xs.length; k++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        xs[k][i] = random.nextGaussian();
        s += xs[k][i] * (i % 2 == 0 ? 1 : -1);
      }
      ds[k] = Math.tanh(s * xs[k][0]);
    }
    final ModelSpec spec = new ModelSpec(n, false, Activation.IDENTITY, 0.01, null, 0.0,
        Loss.SQUARED, OptimizerSettings.of(OptimizerKind.named(optimizer)),
        HiddenLayers.of(Arrays.copyOfRange(sizes, 1, sizes.length),
            Activation.fromId(hiddenActivation), 42L));
    network = new Network(spec);
    model = network.newModel();
  }

  @Benchmark
  public Verdict step() {
    final int k = next++ & 1023;
    return network.learn(model, xs[k], ds[k], step);
  }
}
