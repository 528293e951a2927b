package io.gradstream.service;

import io.gradstream.config.ServiceSettings;
import io.gradstream.config.StateDirectory;
import io.gradstream.http.HttpApi;
import io.gradstream.learn.ModelSpec;
import io.gradstream.step.EventRules;
import io.gradstream.stream.RaceSetup;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The life of {@code run} and {@code demo}: HTTP up before anything starts (probes and /metrics
 * answer while Kafka is awaited), Kafka (the one named, or an embedded one when asked for), the
 * local state bound to it, the service, the command's own work until a stop, then everything
 * closed in reverse order and the stop signal last (once it is closed, a SIGTERM'd JVM may end at
 * any moment).
 */
public final class ServiceLife {
  private static HttpApi startHttp(final ServiceSettings settings,
      final PrometheusMeterRegistry registry,
      final AtomicReference<String> waiting) throws IOException {
    try {
      return new HttpApi(settings.httpHost(), settings.httpPort(), registry::scrape,
          waiting::get);
    } catch (final BindException e) {
      throw HttpApi.inUse(settings.httpPort(), e);
    }
  }

  /** What the command does while the service runs; returns its exit code. */
  public interface Work {
    int run(ServiceRunner runner, KafkaSession kafka, StopSignal stop) throws Exception;
  }

  private ServiceLife() {}

  /**
   * @param says where the command reports its stop
   * @param stopped the line that says it has stopped
   * @param embeddedPort null for the Kafka the settings name, else the port of an embedded one
   *     (0 for 9092 or any free one)
   * @param resetLocalState delete the application's local state first
   */
  public static int live(final ServiceSettings settings, final ModelSpec model,
      final EventRules rules, final Integer embeddedPort, final boolean resetLocalState,
      final PrintWriter log, final PrintWriter says, final String stopped, final Work work)
      throws Exception {
    return live(settings, model, rules, null, embeddedPort, resetLocalState, log, says, stopped,
        work);
  }

  /** @param race the race each key runs; null for one model per key */
  public static int live(final ServiceSettings settings, final ModelSpec model,
      final EventRules rules, final RaceSetup race, final Integer embeddedPort,
      final boolean resetLocalState, final PrintWriter log, final PrintWriter says,
      final String stopped, final Work work) throws Exception {
    final AtomicReference<String> waiting =
        new AtomicReference<>("starting");
    final PrometheusMeterRegistry registry = ServiceRunner.Early.newRegistry();
    // up before anything else starts (a taken port is said at once) and before Kafka answers:
    // probes and /metrics are served while the service waits for it
    try (StopSignal stop = new StopSignal();
        HttpApi http = startHttp(settings, registry, waiting)) {
      if (settings.stateDir() != null) {
        StateDirectory.prepare(settings.stateDir());
      }
      final KafkaSession session = KafkaSession.open(settings, embeddedPort,
          resetLocalState, log, stop, waiting::set);
      if (session == null) {
        return ExitCode.FAILURE;
      }
      waiting.set("starting Kafka Streams");
      final int code;
      final long closing;
      try (KafkaSession kafka = session;
          ServiceRunner runner = new ServiceRunner(kafka.settings(), model, rules, race, log,
              stop::request, new ServiceRunner.Early(registry, http))) {
        code = work.run(runner, kafka, stop);
        closing = System.nanoTime();
      }
      // closing made the final commit (or, with exactly-once, aborted what was not committed)
      says.println(String.format(Locale.ROOT, "%s (closed in %.1f s, exit code %d)",
          stopped, (System.nanoTime() - closing) / 1e9, code));
      return code;
    } finally {
      registry.close();
    }
  }
}
