package io.gradstream.cli;

import io.gradstream.config.KafkaEnvironment;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gradstream tail TOPIC}: the records of any gradstream topic as JSON lines, decoded, for
 * a person (kcat cannot decode Avro's single-object encoding). Reads committed records only,
 * unless asked otherwise, as every consumer of an exactly-once application should.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = {
        "Print the records of a topic (training-metrics, training-events-dlq, "
            + "training-predictions, training-events, a changelog) as JSON lines: position, key, "
            + "headers (a dead letter's reason) and the value, decoded from any version of "
            + "gradstream's Avro schemas (or JSON, text, base64).",
        "By default the last records of each partition that were committed, then it stops; "
            + "KAFKA_<PROPERTY> variables pass through."})
final class TailCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(200);

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "TOPIC", description = "The topic to read.")
  String topic;

  @picocli.CommandLine.Mixin
  KafkaClientOptions client;

  @Option(names = "--from-beginning",
      description = "Every record from the start of each partition, not the last ones.")
  boolean fromBeginning;

  @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
      description = "How many of the last records of each partition (default: ${DEFAULT-VALUE}).")
  int lines;

  @Option(names = {"-f", "--follow"},
      description = "Keep printing new records as they come, until Ctrl-C.")
  boolean follow;

  @Option(names = "--key", paramLabel = "K", description = "Only the records of this key.")
  String key;

  @Option(names = "--read-uncommitted",
      description = "Also records of transactions not (yet) committed, and of aborted ones.")
  boolean readUncommitted;

  @Override
  public Integer call() throws Exception {
    if (lines < 0) {
      throw new ParameterException(spec.commandLine(), "lines must be 0 or more, got " + lines);
    }
    final PrintWriter out = spec.commandLine().getOut();
    final PrintWriter err = spec.commandLine().getErr();
    final Properties kafka = consumerProperties();
    final String unreachable = KafkaReach.problem(kafka);
    if (unreachable != null) {
      err.println("gradstream tail: cannot reach Kafka at " + client.bootstrapServers + ": "
          + unreachable);
      return Main.FAILURE;
    }
    final RecordJson json = new RecordJson();
    try (StopSignal stop = new StopSignal();
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka,
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<PartitionInfo> infos = consumer.partitionsFor(topic, KafkaReach.TIMEOUT);
      if (infos == null || infos.isEmpty()) {
        err.println("gradstream tail: no topic '" + topic + "' at "
            + client.bootstrapServers);
        return Main.FAILURE;
      }
      final List<TopicPartition> partitions = new ArrayList<>();
      infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      final Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
      for (final TopicPartition p : partitions) {
        consumer.seek(p, fromBeginning ? starts.get(p) : Math.max(starts.get(p),
            ends.get(p) - lines));
      }
      while (!stop.await(Duration.ZERO) && (follow || !caughtUp(consumer, partitions, ends))) {
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          // without --follow, what came after the tail began is left out
          final boolean later = !follow
              && r.offset() >= ends.get(new TopicPartition(r.topic(), r.partition()));
          if (!later && (key == null || (r.key() != null && key.equals(new String(r.key(),
              java.nio.charset.StandardCharsets.UTF_8))))) {
            out.println(json.of(r));
          }
        }
        out.flush();
      }
    }
    return 0;
  }

  /** Whether every partition has been read up to where it ended when the tail began. */
  private static boolean caughtUp(final KafkaConsumer<byte[], byte[]> consumer,
      final List<TopicPartition> partitions, final Map<TopicPartition, Long> ends) {
    for (final TopicPartition p : partitions) {
      if (consumer.position(p) < ends.get(p)) {
        return false;
      }
    }
    return true;
  }

  private Properties consumerProperties() {
    final Properties props = new Properties();
    props.putAll(KafkaEnvironment.properties(((Main) spec.parent().userObject()).environment));
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, client.bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readUncommitted ? "read_uncommitted"
        : "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return props;
  }
}
