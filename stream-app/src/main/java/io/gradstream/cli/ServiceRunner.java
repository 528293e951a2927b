package io.gradstream.cli;

import io.gradstream.config.ServiceSettings;
import io.gradstream.http.HttpApi;
import io.gradstream.learn.ModelSpec;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.stream.StoreModelLookup;
import io.gradstream.stream.TopicSetup;
import io.gradstream.stream.TrainingTopology;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * Starts and stops the running service in one place: topics, the Kafka Streams instance, meters
 * and HTTP. Stops cleanly (a final commit) on SIGTERM/Ctrl-C, and exits with an error when Kafka
 * Streams dies, so that an orchestrator restarts it.
 */
final class ServiceRunner implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaStreams streams;
  private final HttpApi http;
  private final KafkaStreamsMetrics streamsMetrics;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread shutdownHook;
  private volatile boolean failed;

  private ServiceRunner(final ServiceSettings settings, final ModelSpec spec,
      final PrintWriter log) throws Exception {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);

    TopicSetup.ensureTopics(settings.streamsProperties(), settings.topics());
    final Topology topology = TrainingTopology.build(settings.topics(), settings.inputFormat(),
        spec, new TrainingMeters(registry));
    streams = new KafkaStreams(topology, settings.streamsProperties());
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.ERROR) {
        failed = true;
        stopped.countDown();
      }
    });
    http = new HttpApi(settings.httpPort(), registry::scrape,
        () -> streams.state() == KafkaStreams.State.RUNNING, new StoreModelLookup(streams));
    shutdownHook = new Thread(this::stopAndWait, "gradstream-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    streams.start();
    log.println("gradstream: training " + settings.topics().input() + " → "
        + settings.topics().metrics() + " (dead letters: " + settings.topics().deadLetters()
        + "), model " + spec + "; HTTP on port " + http.port());
  }

  static ServiceRunner start(final ServiceSettings settings, final ModelSpec spec,
      final PrintWriter log) throws Exception {
    return new ServiceRunner(settings, spec, log);
  }

  /** Blocks until the service is stopped; returns the process exit code. */
  int awaitStop() throws InterruptedException {
    stopped.await();
    return failed ? 1 : 0;
  }

  private void stopAndWait() {
    stopped.countDown();
    closeAll();
  }

  private synchronized void closeAll() {
    http.close();
    streams.close(CLOSE_TIMEOUT);
    streamsMetrics.close();
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (final IllegalStateException alreadyShuttingDown) {
      // the hook is running and closes everything itself
      return;
    }
    closeAll();
  }
}
