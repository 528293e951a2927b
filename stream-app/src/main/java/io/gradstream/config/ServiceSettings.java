package io.gradstream.config;

import io.gradstream.registry.RegistrySettings;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.MetricsDetail;
import io.gradstream.stream.OnSettingsChange;
import io.gradstream.stream.OutputFormat;
import io.gradstream.stream.StoreKind;
import io.gradstream.stream.TopicNames;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The service's settings, typed and checked once at start-up.
 *
 * @param bootstrapServers null when none was given (the embedded broker's case)
 * @param modelMetrics how many models get Prometheus series of their own (first seen first)
 * @param onSettingsChange what becomes of a stored model whose settings differ from the running
 * ones
 * @param metricsDetail whether a network's training metrics carry all its parameters
 * @param httpHost the address the HTTP server binds to; null for every address
 * @param adminToken the bearer token of the operators' actions on models ({@code --admin-api});
 *     null when they are off
 * @param predictToken the bearer token {@code POST /models/{key}/predict} requires; null for none
 * @param stores where each task keeps its models and pending predictions (RocksDB or the heap)
 * @param outputFormat how the metrics, predictions, drifts and champions are framed
 * @param registry the Schema Registry of registry-framed events or records; null for none
 * @param kafka Kafka client and Streams properties passed through as given; they override the
 *     service's own choices below, so an operator can change any of them
 */
public record ServiceSettings(
    String bootstrapServers,
    String applicationId,
    TopicNames topics,
    InputFormat inputFormat,
    Path stateDir,
    int httpPort,
    int modelMetrics,
    OnSettingsChange onSettingsChange,
    Map<String, String> kafka,
    MetricsDetail metricsDetail,
    String httpHost,
    String adminToken,
    String predictToken,
    StoreKind stores,
    OutputFormat outputFormat,
    RegistrySettings registry) {

  /** With a network's training metrics in summary, HTTP on every address. */
  public ServiceSettings(final String bootstrapServers, final String applicationId,
      final TopicNames topics, final InputFormat inputFormat, final Path stateDir,
      final int httpPort, final int modelMetrics, final OnSettingsChange onSettingsChange,
      final Map<String, String> kafka) {
    this(bootstrapServers, applicationId, topics, inputFormat, stateDir, httpPort, modelMetrics,
        onSettingsChange, kafka, MetricsDetail.SUMMARY, null, null, null, StoreKind.ROCKSDB,
        OutputFormat.AVRO, null);
  }

  /**
   * Client settings for throughput, applied before the operator's: each event makes a metric three
   * to four times its size, so the producer fills batches of up to 512 KiB per partition instead
   * of 16 KiB, and the consumer hands over up to 5,000 records per poll instead of Streams' 1,000.
   * With Kafka's defaults gradstream and a plain passthrough alike move a fifth to a quarter less
   * (BENCHMARKS.md). The cache budget bounds the models kept live in memory (the model store is
   * gradstream's cache; Kafka Streams' record cache is not used): 64 MiB instead of 10 keep about
   * 200,000 one-feature models live, where 10 MiB made 100,000 keys miss on every other event,
   * a RocksDB read and a write-back each, and halved the throughput.
   */
  public static final Map<String, String> THROUGHPUT_DEFAULTS = Map.of(
      StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), "524288",
      StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), "5000",
      StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(64L * 1024 * 1024));

  public ServiceSettings {
    if (applicationId == null || applicationId.isBlank()) {
      throw new IllegalArgumentException("application id must not be empty");
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("http port must be 0..65535, got " + httpPort);
    }
    if (modelMetrics < 0) {
      throw new IllegalArgumentException("model metrics must be 0 or more, got " + modelMetrics);
    }
    for (final String topic : topics.all()) {
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("topic names must not be empty");
      }
    }
    if (topics.input().equals(topics.metrics()) || topics.input().equals(topics.deadLetters())
        || topics.input().equals(topics.predictions())) {
      throw new IllegalArgumentException(
          "the input topic must differ from the metrics, predictions and dead-letter topics");
    }
    if (topics.predictions().equals(topics.metrics())
        || topics.predictions().equals(topics.deadLetters())) {
      throw new IllegalArgumentException(
          "the predictions topic must differ from the metrics and dead-letter topics");
    }
    if (List.of(topics.input(), topics.metrics(), topics.deadLetters(), topics.predictions())
        .contains(topics.drifts())) {
      throw new IllegalArgumentException("the drifts topic must differ from the input, metrics, "
          + "predictions and dead-letter topics");
    }
    if (List.of(topics.input(), topics.metrics(), topics.deadLetters(), topics.predictions(),
        topics.drifts()).contains(topics.champions())) {
      throw new IllegalArgumentException("the champions topic must differ from the input, "
          + "metrics, predictions, drifts and dead-letter topics");
    }
    if (stores == null) {
      throw new IllegalArgumentException("store must be rocksdb or memory");
    }
    if (outputFormat == null) {
      throw new IllegalArgumentException("output format must be avro or avro-registry");
    }
    if (registry == null && (inputFormat == InputFormat.AVRO_REGISTRY
        || outputFormat == OutputFormat.AVRO_REGISTRY)) {
      throw new IllegalArgumentException((inputFormat == InputFormat.AVRO_REGISTRY
          ? "input" : "output") + " format avro-registry needs the schema registry: "
          + "--schema-registry-url URL (its Confluent-compatible API)");
    }
    if (onSettingsChange == null) {
      throw new IllegalArgumentException("on settings change must be refuse, reset or keep");
    }
    kafka = Map.copyOf(kafka);
    if (adminToken != null && adminToken.isBlank()) {
      throw new IllegalArgumentException("admin api needs a bearer token in "
          + ADMIN_TOKEN_VARIABLE + ", got an empty one");
    }
    if (predictToken != null && predictToken.isBlank()) {
      throw new IllegalArgumentException(PREDICT_TOKEN_VARIABLE + " is empty: unset it to serve "
          + "predictions to anyone, or give a token");
    }
  }

  /** The token predictions require, when set: from the environment only. */
  public static final String PREDICT_TOKEN_VARIABLE = "GRADSTREAM_HTTP_TOKEN";

  /** Where the admin token comes from: the environment only, never a flag (ps shows flags). */
  public static final String ADMIN_TOKEN_VARIABLE = "GRADSTREAM_ADMIN_TOKEN";

  public ServiceSettings withBootstrapServers(final String servers) {
    return new ServiceSettings(servers, applicationId, topics, inputFormat, stateDir, httpPort,
        modelMetrics, onSettingsChange, kafka, metricsDetail, httpHost, adminToken, predictToken,
        stores, outputFormat, registry);
  }

  public ServiceSettings withStateDir(final Path dir) {
    return new ServiceSettings(bootstrapServers, applicationId, topics, inputFormat, dir, httpPort,
        modelMetrics, onSettingsChange, kafka, metricsDetail, httpHost, adminToken, predictToken,
        stores, outputFormat, registry);
  }

  /** Kafka Streams properties: exactly-once and the service's defaults, then the user's. */
  public Properties streamsProperties() {
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.putAll(THROUGHPUT_DEFAULTS);
    if (stateDir != null) {
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    }
    props.putAll(kafka);
    if (bootstrapServers != null) {
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }
    return props;
  }
}
