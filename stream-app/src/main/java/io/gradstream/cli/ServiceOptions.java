package io.gradstream.cli;

import io.gradstream.config.KafkaEnvironment;
import io.gradstream.config.ServiceSettings;
import io.gradstream.config.SettingsFile;
import io.gradstream.step.LabelTtl;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.MetricsDetail;
import io.gradstream.stream.OnSettingsChange;
import io.gradstream.stream.OutputFormat;
import io.gradstream.stream.StoreKind;
import io.gradstream.stream.TopicNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The service flags of run and demo (the README's flag table for {@code run}). */
final class ServiceOptions {
  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
      description = "Kafka to use (or KAFKA_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  @Option(names = "--application-id", paramLabel = "ID", defaultValue = "gradstream",
      description = "Kafka Streams application id: consumer group, store and changelog names "
          + "(default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--input-topic", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_INPUT,
      description = "Training events in (default: ${DEFAULT-VALUE}).")
  String inputTopic;

  @Option(names = "--metrics-topic", paramLabel = "TOPIC",
      defaultValue = TopicNames.DEFAULT_METRICS,
      description = "One TrainingMetric per trained event (default: ${DEFAULT-VALUE}).")
  String metricsTopic;

  @Option(names = "--dlq-topic", paramLabel = "TOPIC",
      defaultValue = TopicNames.DEFAULT_DEAD_LETTERS,
      description = "Invalid events with their reason (default: ${DEFAULT-VALUE}).")
  String dlqTopic;

  @Option(names = "--predictions-topic", paramLabel = "TOPIC",
      defaultValue = TopicNames.DEFAULT_PREDICTIONS,
      description = "Topic of the predictions, one per event with x and no d "
          + "(default: ${DEFAULT-VALUE}).")
  String predictionsTopic;

  @Option(names = "--drifts-topic", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_DRIFTS,
      description = "One Drift per drift a model's detector signals (--drift) "
          + "(default: ${DEFAULT-VALUE}).")
  String driftsTopic;

  @Option(names = "--champions-topic", paramLabel = "TOPIC",
      defaultValue = TopicNames.DEFAULT_CHAMPIONS,
      description = "One Champion per change of a key's champion in a race (--race) "
          + "(default: ${DEFAULT-VALUE}).")
  String championsTopic;

  @Option(names = "--input-format", paramLabel = "FORMAT", defaultValue = "avro",
      converter = InputFormatConverter.class,
      description = "avro (single-object encoding), json, or avro-registry (a Schema Registry's "
          + "framing, any writer schema that resolves against LabeledEvent; needs "
          + "--schema-registry-url) (default: ${DEFAULT-VALUE}).")
  InputFormat inputFormat;

  @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = "avro",
      converter = OutputFormatConverter.class,
      description = "How the metrics, predictions, drifts and champions are framed: avro "
          + "(single-object encoding) or avro-registry (a Schema Registry's framing, the schemas "
          + "registered under <topic>-value at start; needs --schema-registry-url) "
          + "(default: ${DEFAULT-VALUE}).")
  OutputFormat outputFormat;

  @Mixin
  RegistryOptions registry;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where the model store lives on disk (default: Kafka Streams' own).")
  Path stateDir;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
      description = "HTTP port for /metrics, /health and /models (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--http-host", paramLabel = "ADDRESS",
      description = "The address the HTTP server listens on: all of them by default (for a "
          + "container), localhost for the demo.")
  String httpHost;

  @Option(names = "--embedded-kafka",
      description = "Start a single-node Kafka (KRaft) in this process instead of using one of "
          + "your own; its data is temporary, removed on stop (the demo's default when no Kafka "
          + "is named).")
  boolean embeddedKafka;

  @Option(names = "--embedded-kafka-port", paramLabel = "PORT",
      description = "Port of the embedded Kafka (implies --embedded-kafka; default: 9092, or a "
          + "free one when 9092 is taken; a port given here must be free).")
  Integer embeddedKafkaPort;

  @Option(names = "--reset-local-state",
      description = "Delete this application's local state in the state directory before "
          + "starting: what to do, on purpose, when it was built with another Kafka cluster "
          + "(refused otherwise). With the same cluster it is rebuilt from the changelog.")
  boolean resetLocalState;

  /**
   * The Kafka to use for {@code settings}: null for the one they name, else the port of an
   * embedded broker (0 for 9092-or-any), started only when asked for (or, for the demo, by
   * default) so that a misspelt or missing setting never starts a broker nobody wanted.
   */
  Integer embeddedKafka(final ServiceSettings settings, final boolean embeddedByDefault) {
    if (embeddedKafkaPort != null && (embeddedKafkaPort < 1 || embeddedKafkaPort > 65535)) {
      throw new IllegalArgumentException("embedded kafka port must be 1..65535, got "
          + embeddedKafkaPort);
    }
    final boolean asked = embeddedKafka || embeddedKafkaPort != null;
    final boolean named = settings.bootstrapServers() != null
        || settings.kafka().containsKey("bootstrap.servers");
    if (named) {
      if (asked) {
        throw new IllegalArgumentException("embedded kafka and a Kafka of your own ("
            + (settings.bootstrapServers() != null ? "--bootstrap-servers" : "bootstrap.servers")
            + ") exclude each other: choose one");
      }
      return null;
    }
    if (!asked && !embeddedByDefault) {
      throw new IllegalArgumentException("no Kafka given: name yours with --bootstrap-servers "
          + "or KAFKA_BOOTSTRAP_SERVERS, or start a temporary one in this process with "
          + "--embedded-kafka");
    }
    return embeddedKafkaPort == null ? 0 : embeddedKafkaPort;
  }

  @Option(names = "--label-grace", paramLabel = "DURATION",
      defaultValue = LabelTtl.DEFAULT_GRACE,
      description = "How far behind the stream time a label may lag and still find its "
          + "prediction: the cleanup removes a prediction once the stream time passes its time "
          + "+ ttl + grace (default: ${DEFAULT-VALUE}).")
  String labelGrace;

  @Option(names = "--admin-api",
      description = "Offer POST /models/{key}/reset and DELETE /models/{key} to whoever shows "
          + "the token in GRADSTREAM_ADMIN_TOKEN; the stream carries them out in order with the "
          + "key's events (off by default).")
  boolean adminApi;

  @Option(names = "--model-metrics", paramLabel = "N", defaultValue = "20",
      description = "How many models get Prometheus series of their own (loss average, steps, "
          + "weights, bias), the first seen first; 0 for none (default: ${DEFAULT-VALUE}).")
  int modelMetrics;

  @Option(names = "--on-settings-change", paramLabel = "ACTION", defaultValue = "refuse",
      converter = OnSettingsChangeConverter.class,
      description = "What becomes of a stored model whose settings (activation, loss, learning "
          + "rate, features, bias) differ from these: refuse (stop, exit code 2, naming it), reset "
          + "(start it again) or keep (keep its weights and step it under these settings) "
          + "(default: ${DEFAULT-VALUE}).")
  OnSettingsChange onSettingsChange;

  @Option(names = "--metrics-detail", paramLabel = "LEVEL", defaultValue = "summary",
      converter = MetricsDetailConverter.class,
      description = "summary, or full: a network's training metrics also carry its gradient and "
          + "all its parameters (large records); one neuron's always do (default: "
          + "${DEFAULT-VALUE}).")
  MetricsDetail metricsDetail;

  @Option(names = "--store", paramLabel = "KIND", defaultValue = "rocksdb",
      converter = StoreKindConverter.class,
      description = "Where each task keeps its models and pending predictions: rocksdb (on disk, "
          + "models beyond the live budget read back from it) or memory (all on the heap, the "
          + "whole changelog read again at every start); both log to the same changelogs "
          + "(default: ${DEFAULT-VALUE}).")
  StoreKind store;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties file: gradstream settings by option name (learning-rate=0.05) "
          + "and Kafka properties by their own names (sasl.mechanism=PLAIN).")
  Path configFile;

  /**
   * The checked settings of {@code command}: its flags, then the environment and the --config
   * file (already applied by {@link io.gradstream.config.SettingsDefaultProvider}), plus the Kafka
   * properties of both.
   */
  ServiceSettings resolve(final CommandSpec command, final Map<String, String> environment)
      throws IOException {
    final SettingsFile file = readSettingsFile(command);
    return SettingsCheck.check(command, () -> toSettings(file, environment));
  }

  private SettingsFile readSettingsFile(final CommandSpec command) throws IOException {
    if (configFile == null) {
      return SettingsFile.empty();
    }
    final SettingsFile file = SettingsFile.read(configFile);
    final String unknownKafka = KafkaEnvironment.unknownProperty(file.kafka(),
        configFile.toString());
    if (unknownKafka != null) {
      throw new ParameterException(command.commandLine(), unknownKafka);
    }
    for (final String name : file.gradstream().keySet()) {
      if (command.findOption("--" + name) == null || name.equals("config")) {
        throw new ParameterException(command.commandLine(),
            "unknown setting '" + name + "' in " + configFile
                + " (gradstream settings are option names without dashes; Kafka properties "
                + "contain a dot)");
      }
    }
    return file;
  }

  private ServiceSettings toSettings(
      final SettingsFile file, final Map<String, String> environment) {
    final Map<String, String> kafka = new TreeMap<>(file.kafka());
    kafka.putAll(KafkaEnvironment.properties(environment));
    return new ServiceSettings(blankToNull(bootstrapServers), applicationId,
        new TopicNames(inputTopic, metricsTopic, dlqTopic, predictionsTopic, driftsTopic,
            championsTopic),
        inputFormat, stateDir, httpPort, modelMetrics, onSettingsChange, kafka, metricsDetail,
        httpHost == null || httpHost.isBlank() ? null : httpHost.trim(), adminToken(environment),
        environment.get(ServiceSettings.PREDICT_TOKEN_VARIABLE), store, outputFormat,
        registry.settings(environment));
  }

  /** The admin token when --admin-api asks for the operators' actions, else null. */
  private String adminToken(final Map<String, String> environment) {
    if (!adminApi) {
      return null;
    }
    final String token = environment.get(ServiceSettings.ADMIN_TOKEN_VARIABLE);
    if (token == null) {
      throw new IllegalArgumentException("admin api needs a bearer token in "
          + ServiceSettings.ADMIN_TOKEN_VARIABLE + " (any long random text; requests carry it "
          + "as Authorization: Bearer <token>)");
    }
    return token;
  }

  private static String blankToNull(final String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  static final class OnSettingsChangeConverter
      implements picocli.CommandLine.ITypeConverter<OnSettingsChange> {
    @Override
    public OnSettingsChange convert(final String value) {
      for (final OnSettingsChange action : OnSettingsChange.values()) {
        if (action.id().equals(value)) {
          return action;
        }
      }
      throw new picocli.CommandLine.TypeConversionException(
          "unknown action '" + value + "' (expected refuse, reset or keep)");
    }
  }

  /** {@code parse}'s value, its refusal as picocli's: one line naming the values, exit code 2. */
  private static <T> T parsed(final Function<String, T> parse, final String value) {
    try {
      return parse.apply(value);
    } catch (final IllegalArgumentException e) {
      throw new picocli.CommandLine.TypeConversionException(e.getMessage());
    }
  }

  static final class MetricsDetailConverter
      implements picocli.CommandLine.ITypeConverter<MetricsDetail> {
    @Override
    public MetricsDetail convert(final String value) {
      return parsed(MetricsDetail::parse, value);
    }
  }

  static final class StoreKindConverter
      implements picocli.CommandLine.ITypeConverter<StoreKind> {
    @Override
    public StoreKind convert(final String value) {
      return parsed(StoreKind::parse, value);
    }
  }

  static final class InputFormatConverter
      implements picocli.CommandLine.ITypeConverter<InputFormat> {
    @Override
    public InputFormat convert(final String value) {
      return parsed(InputFormat::parse, value);
    }
  }

  static final class OutputFormatConverter
      implements picocli.CommandLine.ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(final String value) {
      return parsed(OutputFormat::parse, value);
    }
  }
}
