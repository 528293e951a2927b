package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.config.ServiceSettings;
import io.gradstream.learn.Activation;
import io.gradstream.learn.ModelSpec;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.StoreKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where run's settings come from: flag, then environment, then the --config file, then default. */
class RunSettingsTest {
  @TempDir
  Path dir;

  private RunCommand parse(final Map<String, String> env, final String... args) throws IOException {
    final CommandLine cli = Main.commandLine(args, env, new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    final CommandLine.ParseResult parsed = cli.parseArgs(args);
    return (RunCommand) parsed.subcommand().commandSpec().userObject();
  }

  @Test
  void defaultsFollowTheProductCard() throws IOException {
    final RunCommand run = parse(Map.of(), "run", "--bootstrap-servers", "k:9092");
    final ServiceSettings s = run.serviceSettings();
    assertThat(s.applicationId()).isEqualTo("gradstream");
    assertThat(s.topics().input()).isEqualTo("training-events");
    assertThat(s.topics().metrics()).isEqualTo("training-metrics");
    assertThat(s.topics().deadLetters()).isEqualTo("training-events-dlq");
    assertThat(s.inputFormat()).isEqualTo(InputFormat.AVRO);
    assertThat(s.httpPort()).isEqualTo(8080);
    assertThat(s.streamsProperties()).containsEntry("processing.guarantee", "exactly_once_v2")
        .containsEntry("producer.batch.size", "524288")
        .containsEntry("consumer.max.poll.records", "5000");
    assertThat(run.modelSpec()).isEqualTo(ModelSpec.defaults(1));
    assertThat(s.stores()).isEqualTo(StoreKind.ROCKSDB);
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheConfigFile() throws IOException {
    final Path config = dir.resolve("gradstream.properties");
    Files.writeString(config, """
        learning-rate=0.3
        features=3
        activation=tanh
        input-topic=from-file
        store=memory
        sasl.mechanism=PLAIN
        client.id=from-file
        """);
    final Map<String, String> env = Map.of(
        "GRADSTREAM_LEARNING_RATE", "0.2",
        "GRADSTREAM_INPUT_FORMAT", "json",
        "KAFKA_BOOTSTRAP_SERVERS", "env:9092",
        "KAFKA_CLIENT_ID", "from-env",
        "KAFKA_PRODUCER_BATCH_SIZE", "16384",
        "KAFKA_HEAP_OPTS", "-Xmx1g",
        // a Service named kafka in the pod's namespace puts these in its environment
        "KAFKA_SERVICE_HOST", "10.0.0.7",
        "KAFKA_PORT", "tcp://10.0.0.7:9092");
    final RunCommand run = parse(env, "run", "--config", config.toString(),
        "--features", "2", "--init-weights", "0.5,-0.5", "--bias");
    final ModelSpec spec = run.modelSpec();
    assertThat(spec.learningRate()).isEqualTo(0.2);          // env over file
    assertThat(spec.features()).isEqualTo(2);                // flag over file
    assertThat(spec.activation()).isEqualTo(Activation.TANH); // file over default
    assertThat(spec.initWeights()).containsExactly(0.5, -0.5);
    assertThat(spec.bias()).isTrue();
    final ServiceSettings s = run.serviceSettings();
    assertThat(s.bootstrapServers()).isEqualTo("env:9092");
    assertThat(s.topics().input()).isEqualTo("from-file");
    assertThat(s.inputFormat()).isEqualTo(InputFormat.JSON);
    assertThat(s.stores()).isEqualTo(StoreKind.MEMORY);      // file over default
    final Properties props = s.streamsProperties();
    assertThat(props).containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("client.id", "from-env")
        .containsEntry("bootstrap.servers", "env:9092")
        .containsEntry("producer.batch.size", "16384") // the operator's over the service's
        .doesNotContainKey("heap.opts").doesNotContainKey("service.host")
        .doesNotContainKey("port");
  }
}
