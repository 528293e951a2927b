package io.gradstream.cli;

import io.gradstream.query.ModelJson;
import io.gradstream.service.KafkaReach;
import io.gradstream.service.StopSignal;
import io.gradstream.stream.ModelSerde;
import io.gradstream.stream.TrainingTopology;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gradstream export}: every model of an application, read from its store's changelog (the
 * committed state, whatever instances run or not), as JSON Lines: a model per line in replay's
 * shape with its key, optimizer state and settings, which {@code gradstream import} takes back;
 * or as ONNX graphs ({@link OnnxModel}), one key into a file or every key into a directory.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write every model of an application as JSON Lines, one model a line, sorted "
        + "by key: replay's shape with \"key\", \"optimizerState\" and \"settings\". Read from "
        + "the model store's changelog topic (committed models only); the service need not run.",
        "With --format onnx: each model as an ONNX graph in float64 (input x [N, n]; output y "
        + "[N, 1], or probabilities [N, K] and label [N]), --key K into the file -o names, or "
        + "every model into the directory -o names as <key>.onnx (the key percent-encoded).",
        "KAFKA_<PROPERTY> variables pass through."})
final class ExportCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(200);

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  KafkaClientOptions client;

  @Option(names = "--application-id", paramLabel = "ID", defaultValue = "gradstream",
      description = "The application whose models to write (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write to FILE instead of stdout; with --format onnx, the file of --key's "
          + "model, or the directory of every model's.")
  Path output;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl",
      description = "jsonl (the models and their state, for import) or onnx (each model's "
          + "predictions, for serving elsewhere) (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--key", paramLabel = "KEY",
      description = "With --format onnx: only this key's model, into the file -o names.")
  String key;

  @Override
  public Integer call() throws Exception {
    final PrintWriter err = spec.commandLine().getErr();
    final boolean onnx = checkedFormat();
    final Properties kafka = KafkaClients.consumer(
        ((Main) spec.parent().userObject()).environment, client.bootstrapServers, true);
    final String unreachable = KafkaReach.problem(kafka);
    if (unreachable != null) {
      err.println("gradstream export: cannot reach Kafka at " + client.bootstrapServers + ": "
          + unreachable);
      return Main.FAILURE;
    }
    final String topic = applicationId + "-" + TrainingTopology.STORE + "-changelog";
    final Map<String, byte[]> latest = new TreeMap<>();
    try (StopSignal stop = new StopSignal();
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka,
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> partitions = KafkaClients.partitions(consumer, topic);
      if (partitions.isEmpty()) {
        err.println("gradstream export: no changelog topic '" + topic + "' at "
            + client.bootstrapServers + ": has application '" + applicationId + "' run there?");
        return Main.FAILURE;
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (!caughtUp(consumer, ends)) {
        if (stop.await(Duration.ZERO)) {
          err.println("gradstream export: stopped before the end; nothing written");
          return 130;
        }
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          final String key = new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            latest.remove(key); // deleted
          } else {
            latest.put(key, r.value());
          }
        }
      }
    }
    if (onnx) {
      return OnnxFiles.write(latest, key, output, err, applicationId);
    }
    try {
      if (output == null) {
        write(latest, spec.commandLine().getOut());
      } else {
        try (Writer out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
          write(latest, out);
        }
      }
    } catch (final IOException e) {
      err.println("gradstream export: cannot write " + output + ": " + e.getMessage());
      return Main.FAILURE;
    }
    err.println("export: " + Counted.of(latest.size(), "model") + " of application "
        + applicationId + (output == null ? "" : " to " + output));
    return 0;
  }

  /** Whether the models go out as ONNX; the flags that go with it checked. */
  private boolean checkedFormat() {
    final boolean onnx = switch (format) {
      case "jsonl" -> false;
      case "onnx" -> true;
      default -> throw new ParameterException(spec.commandLine(),
          "unknown format '" + format + "' (expected jsonl or onnx)");
    };
    if (onnx && output == null) {
      throw new ParameterException(spec.commandLine(), "--format onnx writes files: give -o "
          + "FILE with --key, or -o DIRECTORY for every model");
    }
    if (!onnx && key != null) {
      throw new ParameterException(spec.commandLine(), "--key is for --format onnx; jsonl "
          + "writes every model");
    }
    return onnx;
  }

  private static void write(final Map<String, byte[]> models, final Writer out)
      throws IOException {
    for (final Map.Entry<String, byte[]> e : models.entrySet()) {
      final ModelSerde.Stored stored = ModelSerde.reader().read(e.getValue());
      out.write(ModelJson.exported(e.getKey(), stored.model(), stored.settings()).toString());
      out.write('\n');
    }
    out.flush();
  }

  private static boolean caughtUp(final KafkaConsumer<byte[], byte[]> consumer,
      final Map<TopicPartition, Long> ends) {
    for (final Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
