package io.gradstream.cli;

import io.gradstream.events.ModelControl;
import io.gradstream.query.ModelJson;
import io.gradstream.service.KafkaReach;
import io.gradstream.stream.ModelSerde;
import io.gradstream.stream.TopicNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gradstream import FILE}: the models of a {@code gradstream export} file, sent to the
 * input topic as control records that set each key's model. The stream stores each in order with
 * the key's events, exactly once, and refuses a model that does not fit its settings (a dead
 * letter model-misfit); nothing writes to a store from outside.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Send the models of a gradstream export file (JSON Lines) to the input "
        + "topic, where the service sets each key's model in order with its events. A model "
        + "keeps its optimizer state when the service runs with the settings it was exported "
        + "under, else starts its optimizer afresh; one of another shape is a dead letter "
        + "model-misfit.", "KAFKA_<PROPERTY> variables pass through."})
final class ImportCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "A gradstream export file; - for stdin.")
  String file;

  @Mixin
  KafkaClientOptions client;

  @Option(names = "--input-topic", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_INPUT,
      description = "The service's input topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @Override
  public Integer call() throws Exception {
    final PrintWriter err = spec.commandLine().getErr();
    final EventFileInput source = EventFileInput.open(spec, file);
    final Properties kafka = KafkaClients.producer(
        ((Main) spec.parent().userObject()).environment, client.bootstrapServers);
    final String unreachable = KafkaReach.problem(kafka);
    if (unreachable != null) {
      err.println("gradstream import: cannot reach Kafka at " + client.bootstrapServers + ": "
          + unreachable);
      return Main.FAILURE;
    }
    final AtomicReference<Exception> failure = new AtomicReference<>();
    final AtomicLong acknowledged = new AtomicLong();
    long skipped = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(source.stream(),
            StandardCharsets.UTF_8));
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka,
            new ByteArraySerializer(), new ByteArraySerializer())) {
      String line;
      long number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        final ModelJson.Exported model;
        try {
          model = ModelJson.parseExported(ModelJson.MAPPER.readTree(line));
          if (model.key() == null || model.key().isEmpty()) {
            throw new IllegalArgumentException("the line has no \"key\"");
          }
        } catch (final IllegalArgumentException | IOException e) {
          err.println("line " + number + ": skipped, " + e.getMessage().lines().findFirst()
              .orElse(""));
          skipped++;
          continue;
        }
        producer.send(new ProducerRecord<>(topic, null,
            model.key().getBytes(StandardCharsets.UTF_8),
            new ModelSerde(model.settings()).toBytes(model.model()),
            List.of(new RecordHeader(ModelControl.HEADER,
                ModelControl.SET.code().getBytes(StandardCharsets.UTF_8)))), (meta, e) -> {
                  if (e != null) {
                    failure.compareAndSet(null, e);
                  } else {
                    acknowledged.incrementAndGet();
                  }
                });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      err.println("gradstream import: sending failed: " + failure.get().getMessage());
      return Main.FAILURE;
    }
    err.println("import: sent " + Counted.of(acknowledged.get(), "model") + " to " + topic
        + "; skipped " + Counted.of(skipped, "line"));
    return 0;
  }
}
