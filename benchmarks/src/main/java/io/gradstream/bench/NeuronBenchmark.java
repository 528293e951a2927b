package io.gradstream.bench;

import io.gradstream.learn.Activation;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.Neuron;
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
 * One learning step (validate, forward, backward, the optimizer's update) on a model of n
 * features: what the processor spends on the maths of one event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NeuronBenchmark {
  @Param({"1", "10", "100", "1000"})
  int features;

  @Param({"identity", "sigmoid", "tanh", "relu", "leaky_relu"})
  String activation;

  /** sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw or ftrl. */
  @Param({"sgd"})
  String optimizer;

  private Neuron neuron;
  private Model model;
  private double[] x;
  private double d;
  private final StepResult step = new StepResult();

  @Setup
  public void setUp() {
    final Random random = new Random(1);
    x = new double[features];
    final double[] w = new double[features];
    for (int i = 0; i < features; i++) {
      x[i] = random.nextGaussian();
      w[i] = optimizer.equals("ftrl") ? 0 : 0.1 * random.nextGaussian(); // FTRL starts at 0
    }
    d = 0.3;
    // η·‖x‖² well below 2, so that repeating the event converges instead of overflowing
    final ModelSpec spec =
        new ModelSpec(features, true, Activation.fromId(activation), 0.1 / features, w, 0.0,
            Loss.SQUARED, OptimizerSettings.of(OptimizerKind.named(optimizer)));
    neuron = new Neuron(spec);
    model = neuron.newModel();
  }

  @Benchmark
  public Verdict step() {
    return neuron.learn(model, x, d, step);
  }
}
