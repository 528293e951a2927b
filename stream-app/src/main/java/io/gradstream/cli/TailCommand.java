package io.gradstream.cli;

import io.gradstream.registry.RegistryClient;
import io.gradstream.registry.RegistrySettings;
import io.gradstream.registry.WriterSchemas;
import io.gradstream.service.KafkaReach;
import io.gradstream.service.StopSignal;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
            + "gradstream's Avro schemas, in single-object encoding or a Schema Registry's "
            + "framing (with --schema-registry-url), or JSON, text, base64.",
        "By default the last records of each partition that were committed, then it stops; "
            + "KAFKA_<PROPERTY> variables pass through."})
final class TailCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(200);
  /** How long a person waits for a registry that does not answer before a record is shown raw. */
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "TOPIC", description = "The topic to read.")
  String topic;

  @picocli.CommandLine.Mixin
  KafkaClientOptions client;

  @picocli.CommandLine.Mixin
  RegistryOptions registry;

  @Option(names = "--from-beginning",
      description = "Every record from the start of each partition, not the last ones.")
  boolean fromBeginning;

  @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
      description = "How many of the last records of each partition (of the key, with --key, "
          + "however far back they are) (default: ${DEFAULT-VALUE}).")
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
    final Properties kafka = KafkaClients.consumer(
        ((Main) spec.parent().userObject()).environment, client.bootstrapServers, !readUncommitted);
    final String unreachable = KafkaReach.problem(kafka);
    if (unreachable != null) {
      err.println("gradstream tail: cannot reach Kafka at " + client.bootstrapServers + ": "
          + unreachable);
      return Main.FAILURE;
    }
    final RegistrySettings registrySettings;
    try {
      registrySettings = registry.settings(((Main) spec.parent().userObject()).environment);
    } catch (final IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    final RecordJson json = new RecordJson(registrySettings == null ? null
        : new WriterSchemas(new RegistryClient(registrySettings.withOutageRetry(OUTAGE))));
    try (StopSignal stop = new StopSignal();
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka,
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> partitions = KafkaClients.partitions(consumer, topic);
      if (partitions.isEmpty()) {
        err.println("gradstream tail: no topic '" + topic + "' at "
            + client.bootstrapServers);
        return Main.FAILURE;
      }
      // with read_committed, the end is the last stable offset: nothing beyond it is shown
      // assigned once, before the offsets are asked for (the last stable offset is kept for
      // assigned partitions only, else the consumer warns); a partition is read by pausing the
      // others
      consumer.assign(partitions);
      final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      final Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
      for (final TopicPartition p : partitions) {
        final long from = fromBeginning ? starts.get(p) : ends.get(p);
        final List<ConsumerRecord<byte[], byte[]>> shown = fromBeginning
            ? read(consumer, p, from, ends.get(p), stop)
            : last(consumer, p, starts.get(p), ends.get(p), err, stop);
        for (final ConsumerRecord<byte[], byte[]> r : shown) {
          out.println(json.of(r));
        }
        out.flush();
      }
      if (follow) {
        consumer.resume(partitions);
        partitions.forEach(p -> consumer.seek(p, ends.get(p)));
        while (!stop.await(Duration.ZERO)) {
          for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
            if (wanted(r)) {
              out.println(json.of(r));
            }
          }
          out.flush();
        }
      }
    }
    return 0;
  }

  /**
   * The last {@link #lines} wanted records of {@code p} before {@code end}, read backwards in
   * growing chunks: offsets are not records (a transaction's commit marker takes one, an aborted
   * record is skipped), and a key's records may lie far back. Finding fewer with --key, it says
   * how far back it looked.
   */
  private List<ConsumerRecord<byte[], byte[]>> last(
      final KafkaConsumer<byte[], byte[]> consumer, final TopicPartition p, final long start,
      final long end, final PrintWriter err, final StopSignal stop) throws InterruptedException {
    final ArrayDeque<ConsumerRecord<byte[], byte[]>> found = new ArrayDeque<>();
    long to = end;
    long chunk = Math.max(lines, 1);
    while (found.size() < lines && to > start && !stop.await(Duration.ZERO)) {
      final long from = Math.max(start, to - chunk);
      final List<ConsumerRecord<byte[], byte[]>> earlier = read(consumer, p, from, to, stop);
      for (int i = earlier.size() - 1; i >= 0 && found.size() < lines; i--) {
        found.addFirst(earlier.get(i));
      }
      to = from;
      chunk *= 2;
    }
    if (key != null && found.size() < lines) {
      err.println("gradstream tail: " + found.size() + " of " + lines + " records of key '" + key
          + "' in partition " + p.partition() + ", read back to offset " + to
          + (to <= start ? ", its beginning" : ""));
    }
    return new ArrayList<>(found);
  }

  /** The wanted records of {@code p} from offset {@code from} up to (not including) {@code to}. */
  private List<ConsumerRecord<byte[], byte[]>> read(final KafkaConsumer<byte[], byte[]> consumer,
      final TopicPartition p, final long from, final long to, final StopSignal stop)
      throws InterruptedException {
    final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    consumer.pause(consumer.assignment());
    consumer.resume(List.of(p));
    consumer.seek(p, from);
    while (consumer.position(p) < to && !stop.await(Duration.ZERO)) {
      for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        if (r.offset() < to && wanted(r)) {
          records.add(r);
        }
      }
    }
    return records;
  }

  private boolean wanted(final ConsumerRecord<byte[], byte[]> r) {
    return key == null || (r.key() != null
        && key.equals(new String(r.key(), StandardCharsets.UTF_8)));
  }
}
