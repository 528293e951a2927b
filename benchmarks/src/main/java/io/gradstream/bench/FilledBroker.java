package io.gradstream.bench;

import io.gradstream.config.ServiceSettings;
import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.throughput.BenchKind;
import io.gradstream.throughput.ThroughputBench;

/**
 * A broker in a JVM of its own whose topic {@code bench-in} holds N events, so that a gradstream
 * process can be measured alone against it (heap, GC, CPU). Prints the bootstrap address and
 * serves until killed. Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * io.gradstream.bench.FilledBroker EVENTS KEYS FEATURES}.
 */
public final class FilledBroker {
  private FilledBroker() {}

  public static void main(final String[] args) throws Exception {
    final int events = Integer.parseInt(args[0]);
    final int keys = Integer.parseInt(args[1]);
    final int features = Integer.parseInt(args[2]);
    final EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.freePort());
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
    ThroughputBench.fill(kafka.bootstrapServers(), new ThroughputBench.Setup(events, keys,
        features, OptimizerKind.SGD, BenchKind.TRAIN, "exactly_once_v2", 1,
        ServiceSettings.THROUGHPUT_DEFAULTS));
    System.out.println("filled bench-in with " + events + " events; bootstrap "
        + kafka.bootstrapServers());
    Thread.currentThread().join();
  }
}
