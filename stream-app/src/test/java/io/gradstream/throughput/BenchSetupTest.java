package io.gradstream.throughput;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.stream.StoreKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An application's own process gets the setup it was started with, every field of it. */
class BenchSetupTest {
  @Test
  void aSetupGoesToAChildProcessAndBackWhole() {
    for (final ThroughputBench.Setup setup : new ThroughputBench.Setup[] {
        new ThroughputBench.Setup(1000, 10, 20, OptimizerKind.FTRL, BenchKind.PREDICT_LABEL,
            "at_least_once", 7, Map.of("linger.ms", "5", "sasl.jaas.config",
                "m required username=\"a\";"), new int[0], 18),
        new ThroughputBench.Setup(5, 1, 3, OptimizerKind.ADAM, BenchKind.TRAIN,
            "exactly_once_v2", 1, Map.of(), new int[] {8, 4}, 0),
        new ThroughputBench.Setup(5, 1, 3, OptimizerKind.SGD, BenchKind.TRAIN,
            "exactly_once_v2", 1, Map.of("a", "b"), new int[0], 0, 1000, "page-hinkley", 0),
        new ThroughputBench.Setup(5, 1, 3, OptimizerKind.SGD, BenchKind.PREDICT,
            "exactly_once_v2", 1, Map.of(), new int[] {4}, 0, -1, "none", 10),
        new ThroughputBench.Setup(5, 1, 3, OptimizerKind.SGD, BenchKind.TRAIN,
            "exactly_once_v2", 1, Map.of("b", "c"), new int[0], 0, 1000, "none", 0, 3),
        new ThroughputBench.Setup(5, 1, 3, OptimizerKind.SGD, BenchKind.TRAIN,
            "exactly_once_v2", 1, Map.of(), new int[0], 0, 1000, "none", 0, 0,
            StoreKind.MEMORY)}) {
      final ThroughputBench.Setup back = ThroughputBench.Setup.fromArgs(setup.toArgs());
      assertThat(back).usingRecursiveComparison().isEqualTo(setup);
      assertThat(back.hashBits()).isEqualTo(setup.hashBits());
      assertThat(back.hidden()).containsExactly(setup.hidden());
      assertThat(back.evaluation()).isEqualTo(setup.evaluation());
      assertThat(back.classes()).isEqualTo(setup.classes());
      assertThat(back.race()).isEqualTo(setup.race());
      assertThat(back.stores()).isEqualTo(setup.stores());
    }
  }
}
