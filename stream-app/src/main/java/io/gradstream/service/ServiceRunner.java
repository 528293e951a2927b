package io.gradstream.service;

import io.gradstream.config.ServiceSettings;
import io.gradstream.http.HttpApi;
import io.gradstream.http.ModelAdmin;
import io.gradstream.http.PeerClient;
import io.gradstream.http.ServiceRoutes;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.evaluate.EvaluationKind;
import io.gradstream.metrics.TrainingMeters;
import io.gradstream.query.ModelLookup;
import io.gradstream.query.StoreModelLookup;
import io.gradstream.registry.RegistryClient;
import io.gradstream.registry.RegistryRefusalException;
import io.gradstream.registry.RegistryUnavailableException;
import io.gradstream.registry.WriterSchemas;
import io.gradstream.step.EventRules;
import io.gradstream.stream.ControlRecords;
import io.gradstream.stream.OutputFormat;
import io.gradstream.stream.OutputFraming;
import io.gradstream.stream.RaceSetup;
import io.gradstream.stream.RecordFormats;
import io.gradstream.stream.RestoreLog;
import io.gradstream.stream.SettingsMismatchException;
import io.gradstream.stream.StoredSettingsCheck;
import io.gradstream.stream.ThreadFailurePolicy;
import io.gradstream.stream.TopicSetup;
import io.gradstream.stream.TrainingTopology;
import io.gradstream.ui.LiveSampler;
import io.gradstream.ui.LiveView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The running service, started and stopped in one place: topics, the Kafka Streams instance,
 * meters and HTTP. Closing it closes Kafka Streams cleanly (a final commit).
 */
public final class ServiceRunner implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration SETTINGS_CHECK_TIMEOUT = Duration.ofSeconds(15);

  private final PrometheusMeterRegistry registry;
  /** Whether the registry and the HTTP server are this runner's to close. */
  private final boolean owner;
  private final TrainingMeters meters;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;
  /** How often Kafka's metrics are looked up for new ones (Micrometer's default is a minute). */
  private static final Duration METRICS_REFRESH = Duration.ofSeconds(1);
  private final ScheduledExecutorService metricsRefresh =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread t = new Thread(runnable, "gradstream-kafka-metrics");
        t.setDaemon(true);
        return t;
      });
  private final HttpApi http;
  /** The producer of operators' control records; null without --admin-api. */
  private ControlRecords controls;
  private final LiveSampler liveSampler;
  private final LiveView live;
  private final StoreModelLookup models;
  private final CloseOptions closeOptions;
  private final ThreadFailurePolicy threadFailures = ThreadFailurePolicy.standard();
  private volatile boolean failed;

  /**
   * The registry and the HTTP server a service has from its first moment, before Kafka answers:
   * probes and /metrics are served while it waits. Their owner closes them.
   */
  public record Early(PrometheusMeterRegistry registry, HttpApi http) {
    /** The registry with the JVM's and the process's meters and the build's version. */
    public static PrometheusMeterRegistry newRegistry() {
      final PrometheusMeterRegistry registry =
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new ClassLoaderMetrics().bindTo(registry);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmGcMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      new FileDescriptorMetrics().bindTo(registry);
      Gauge.builder("gradstream.build.info", () -> 1)
          .description("The running build: its version")
          .tag("version", BuildInfo.version()).register(registry);
      return registry;
    }
  }

  /**
   * @param rules how long predictions wait for their labels, how large features may be
   * @param onFailure called (once) when Kafka Streams dies, so the process can stop and an
   *     orchestrator can restart it
   * @param early the registry and HTTP server to use; null to make (and close) its own
   * @throws SettingsMismatchException when the last stored models differ from {@code spec} in a
   *     way the operator did not allow (nothing is started)
   */
  public ServiceRunner(final ServiceSettings settings, final ModelSpec spec, final EventRules rules,
      final PrintWriter log, final Runnable onFailure, final Early early) throws Exception {
    this(settings, spec, rules, null, log, onFailure, early);
  }

  /** @param race the race each key runs; null for one model per key */
  public ServiceRunner(final ServiceSettings settings, final ModelSpec spec, final EventRules rules,
      final RaceSetup race, final PrintWriter log, final Runnable onFailure, final Early early)
      throws Exception {
    owner = early == null;
    registry = early == null ? Early.newRegistry() : early.registry();

    final Properties streamsConfig = settings.streamsProperties();
    closeOptions = closeOptions(streamsConfig);
    TopicSetup.ensureTopics(streamsConfig, settings.topics().all());
    meters = new TrainingMeters(registry, settings.modelMetrics());
    final String refusal = StoredSettingsCheck.refusal(streamsConfig, spec,
        race == null ? null : race.spec(), settings.onSettingsChange(), meters,
        SETTINGS_CHECK_TIMEOUT);
    if (refusal != null) {
      if (owner) {
        registry.close();
      }
      throw new SettingsMismatchException(refusal);
    }
    streams = new KafkaStreams(TrainingTopology.build(settings.topics(), formats(settings, race),
        spec, rules, race, settings.onSettingsChange(), settings.metricsDetail(),
        settings.stores(), meters, streamsConfig), streamsConfig);
    // Kafka's metrics are looked up again every second, not every minute: a task's series (its
    // restore progress above all) appear while the task starts, not a minute later
    streamsMetrics = new KafkaStreamsMetrics(streams, Tags.empty(), metricsRefresh,
        METRICS_REFRESH);
    streamsMetrics.bindTo(registry);
    streams.setUncaughtExceptionHandler(threadFailures);
    streams.setGlobalStateRestoreListener(new RestoreLog(line -> {
      log.println("gradstream: " + line);
      log.flush();
    }));
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.ERROR) {
        failed = true;
        onFailure.run();
      }
    });
    models = new StoreModelLookup(streams, advertised(streamsConfig), new PeerClient());
    if (rules.evaluation() != null) {
      meters.judging(rules.evaluation(), EvaluationKind.of(spec.loss()), this::storedHere);
    }
    liveSampler = new LiveSampler(meters, models);
    live = new LiveView(liveSampler, meters.models(), models, spec,
        race == null ? List.of() : race.spec().names());
    try {
      http = early != null ? early.http() : new HttpApi(settings.httpHost(), settings.httpPort(),
          registry::scrape, () -> "starting");
    } catch (final BindException e) {
      streams.close(Duration.ZERO);
      throw HttpApi.inUse(settings.httpPort(), e);
    }
    http.attach(new ServiceRoutes(() -> streams.state() == KafkaStreams.State.RUNNING ? null
        : "Kafka Streams is " + streams.state(), models, spec, live,
        adminAccess(settings, streamsConfig), settings.predictToken()));
    streams.start();
    liveSampler.start();
    spec.warnings().forEach(warning -> log.println("gradstream: warning: " + warning));
    log.println("gradstream " + BuildInfo.version() + ": training " + settings.topics().input()
        + " → " + settings.topics().metrics() + " (predictions: "
        + settings.topics().predictions() + ", dead letters: " + settings.topics().deadLetters()
        + ") on " + streamsConfig.get("bootstrap.servers") + "; model: " + spec
        + (race == null ? "" : "; racing " + race.spec().names() + " (champions: "
            + settings.topics().champions() + ")")
        + "; HTTP on http://" + (settings.httpHost() == null ? "localhost"
            : settings.httpHost()) + ":" + http.port() + "/");
  }

  /** The operators' actions, when --admin-api offers them: control records on the input topic. */
  private ModelAdmin.Access adminAccess(final ServiceSettings settings,
      final Properties streamsConfig) {
    if (settings.adminToken() == null) {
      return null;
    }
    controls = new ControlRecords(streamsConfig, settings.topics().input());
    return new ModelAdmin.Access((key, action) -> {
      try {
        final RecordMetadata sent = controls.send(key, action);
        return new ModelAdmin.Sent(sent.topic(), sent.partition(), sent.offset());
      } catch (final ExecutionException | TimeoutException e) {
        throw new ModelLookup.UnavailableException("Kafka did not take the control record: "
            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
      }
    }, settings.adminToken());
  }

  /** The model of {@code key} as stored in this instance, or null (also while it cannot say). */
  private Model storedHere(final String key) {
    try {
      return models.find(key, true).orElse(null);
    } catch (final ModelLookup.UnavailableException e) {
      return null;
    }
  }

  public TrainingMeters meters() {
    return meters;
  }

  /** How many models there are, as the live page last counted them (every few seconds). */
  public int modelCount() {
    return liveSampler.modelCount();
  }

  public StoreModelLookup models() {
    return models;
  }

  public int httpPort() {
    return http.port();
  }

  public boolean failed() {
    return failed;
  }

  /** Why the service stopped on purpose (a stored model under other settings), or null. */
  /**
   * How the events are read and the records framed: with a registry, the output's schemas are
   * registered first, so that a registry that refuses one stops the start.
   */
  private static RecordFormats formats(final ServiceSettings settings, final RaceSetup race)
      throws RegistryRefusalException, RegistryUnavailableException {
    final RegistryClient registry = settings.registry() == null ? null
        : new RegistryClient(settings.registry());
    final OutputFraming framing = settings.outputFormat() == OutputFormat.AVRO_REGISTRY
        ? OutputFraming.register(registry, settings.topics(), race != null)
        : OutputFraming.SINGLE_OBJECT;
    return RecordFormats.of(settings.inputFormat(),
        registry == null ? null : new WriterSchemas(registry), framing);
  }

  public String refusal() {
    return threadFailures.refusal();
  }

  /** The exit code of a command that ran this service until now: 0, 1 on failure, 2 refused. */
  public int exitCode(final PrintWriter log, final String command) {
    if (refusal() != null) {
      log.println("gradstream " + command + ": " + refusal());
      return ExitCode.USAGE;
    }
    return failed ? ExitCode.FAILURE : 0;
  }

  /** This instance's application.server (host:port of its HTTP API), if it advertises one. */
  private static HostInfo advertised(final Properties streamsConfig) {
    final String server = streamsConfig.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
    return server == null || server.isBlank() ? null : HostInfo.buildFromEndpoint(server);
  }

  /**
   * A dynamic group member leaves the group when it stops, so its partitions move at once instead
   * of after the session timeout; a static member (group.instance.id, e.g. a StatefulSet pod)
   * stays, so that its restart takes its own partitions back without any rebalance.
   */
  private static CloseOptions closeOptions(final Properties streamsConfig) {
    final boolean staticMember = streamsConfig.stringPropertyNames().stream()
        .anyMatch(name -> name.endsWith(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
    return CloseOptions.groupMembershipOperation(staticMember
        ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
        : CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT);
  }

  @Override
  public void close() {
    liveSampler.close();
    if (owner) {
      http.close();
    }
    if (controls != null) {
      controls.close();
    }
    streams.close(closeOptions);
    streamsMetrics.close();
    metricsRefresh.shutdownNow();
    if (owner) {
      registry.close();
    }
  }
}
