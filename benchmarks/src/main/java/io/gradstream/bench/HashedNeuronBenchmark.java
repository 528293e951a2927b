package io.gradstream.bench;

import io.gradstream.learn.Activation;
import io.gradstream.learn.HashedNeuron;
import io.gradstream.learn.HiddenLayers;
import io.gradstream.learn.Loss;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.Neuron;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.Verdict;
import io.gradstream.learn.features.FeatureHasher;
import io.gradstream.learn.features.FeatureHashing;
import io.gradstream.learn.features.HashedVector;
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
 * A logistic step on hashed inputs (20 terms at 2^18 coordinates, from a pool of 1,024 events over
 * a vocabulary of 5,000 names, so the model grows to what it has seen), against the dense step of
 * n = 20 on as many events; and hashing an event's 20 terms (10 numbers, 10 categories).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HashedNeuronBenchmark {
  private static final int TERMS = 20;
  private static final int POOL = 1024;
  private static final int BITS = 18;

  /** sgd, adagrad or ftrl: the optimizers that are exact and sparse on hashed inputs. */
  @Param({"sgd", "adagrad", "ftrl"})
  String optimizer;

  private HashedNeuron hashed;
  private Model hashedModel;
  private Neuron dense;
  private Model denseModel;
  private final HashedVector[] events = new HashedVector[POOL];
  private final double[][] denseEvents = new double[POOL][TERMS];
  private final double[] labels = new double[POOL];
  private final String[] names = new String[TERMS];
  private final String[] categories = new String[TERMS];
  private final double[] numbers = new double[TERMS];
  private final FeatureHasher hasher = new FeatureHasher(BITS);
  private final HashedVector scratch = new HashedVector(TERMS);
  private final StepResult step = new StepResult();
  private int next;

  @Setup
  public void setUp() {
    final Random random = new Random(1);
    final boolean ftrl = optimizer.equals("ftrl");
    final ModelSpec spec = new ModelSpec(TERMS, true, Activation.SIGMOID, ftrl ? 0.5 : 0.05,
        null, 0.0, Loss.LOGISTIC, OptimizerSettings.of(OptimizerKind.named(optimizer)));
    hashed = new HashedNeuron(new ModelSpec(1 << BITS, true, Activation.SIGMOID,
        spec.learningRate(), null, 0.0, Loss.LOGISTIC, spec.optimizer(), HiddenLayers.NONE,
        FeatureHashing.of(BITS)));
    hashedModel = hashed.newModel();
    dense = new Neuron(spec);
    denseModel = dense.newModel();
    for (int e = 0; e < POOL; e++) {
      events[e] = new HashedVector(TERMS);
      for (int t = 0; t < TERMS; t++) {
        final double v = t < TERMS / 2 ? random.nextGaussian() : 1.0;
        hasher.number("f" + random.nextInt(5000), v, events[e]);
        denseEvents[e][t] = v;
      }
      events[e].canonical();
      labels[e] = random.nextInt(2);
    }
    for (int t = 0; t < TERMS; t++) {
      names[t] = "feature" + t;
      categories[t] = "value" + random.nextInt(100);
      numbers[t] = random.nextGaussian();
    }
  }

  @Benchmark
  public Verdict hashedStep() {
    final int e = next++ & (POOL - 1);
    return hashed.learn(hashedModel, events[e], labels[e], step);
  }

  @Benchmark
  public Verdict denseStep() {
    final int e = next++ & (POOL - 1);
    return dense.learn(denseModel, denseEvents[e], labels[e], step);
  }

  /** Hashing one event's terms, half numbers and half categories, into its canonical vector. */
  @Benchmark
  public int hashTerms() {
    scratch.clear();
    for (int t = 0; t < TERMS; t++) {
      if (t < TERMS / 2) {
        hasher.number(names[t], numbers[t], scratch);
      } else {
        hasher.category(names[t], categories[t], scratch);
      }
    }
    return scratch.canonical().size();
  }
}
