package io.gradstream.cli;

import io.gradstream.events.CsvExpectations;
import io.gradstream.events.EventEncoder;
import io.gradstream.events.EventFields;
import io.gradstream.events.EventFileException;
import io.gradstream.events.EventFileReader;
import io.gradstream.events.EventRowHandler;
import io.gradstream.service.KafkaReach;
import io.gradstream.service.StopSignal;
import io.gradstream.stream.InputFormat;
import io.gradstream.stream.TopicNames;
import io.gradstream.stream.TopicSetup;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gradstream feed FILE|-}: events from a CSV or JSON Lines file onto the input topic. */
@Command(name = "feed", mixinStandardHelpOptions = true,
    description = {
        "Produce the events of a CSV or JSON Lines file (or stdin) to the input topic, keyed "
            + "by model id, in file order. Rows that are not events are skipped and named by "
            + "line; events with wrong values are sent, and the service dead-letters them.",
        "The producer is idempotent with acks=all; KAFKA_<PROPERTY> variables pass through."})
final class FeedCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "CSV or JSON Lines event file; - for stdin.")
  String file;

  @picocli.CommandLine.Mixin
  KafkaClientOptions client;

  @Mixin
  EventFileOptions fileOptions;

  @Option(names = "--input-topic", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_INPUT,
      description = "Topic to produce to (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--input-format", paramLabel = "FORMAT", defaultValue = "avro",
      converter = ServiceOptions.InputFormatConverter.class,
      description = "avro (LabeledEvent, single-object encoding) or json (default: "
          + "${DEFAULT-VALUE}).")
  InputFormat format;

  @Option(names = "--named-features",
      description = "Read a CSV file's columns (all but key, the label, id and eventTime) as "
          + "named features, for a service with --hash-bits: a number where the cell is one, "
          + "else a category (JSON Lines carry \"features\" themselves).")
  boolean namedFeatures;

  @Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "0",
      description = "At most this many events per second; 0 for as fast as Kafka takes them "
          + "(default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--from-line", paramLabel = "LINE", defaultValue = "1",
      description = "Start at this line of the file, as an interrupted feed says to resume; the "
          + "rows before it are passed over silently (default: ${DEFAULT-VALUE}).")
  long fromLine;

  /** Thrown out of the reader when a stop was asked for: the rows from here on are not sent. */
  private static final class Interrupted extends RuntimeException {
    Interrupted() {
      super(null, null, false, false);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!(rate >= 0) || !Double.isFinite(rate)) {
      throw new ParameterException(spec.commandLine(), "rate must be 0 or more, got " + rate);
    }
    if (fromLine < 1) {
      throw new ParameterException(spec.commandLine(), "from line must be 1 or more, got "
          + fromLine);
    }
    // the stop signal is closed last: once it is, an interrupted JVM may end at any moment
    try (StopSignal stop = new StopSignal()) {
      return feed(stop);
    }
  }

  private int feed(final StopSignal stop) throws Exception {
    final CsvExpectations expected = SettingsCheck.check(spec,
        () -> fileOptions.expectations(0, namedFeatures, true));
    final EventFileInput source = EventFileInput.open(spec, file);
    final PrintWriter err = spec.commandLine().getErr();
    final InputStreamReader reader = new InputStreamReader(source.stream(),
        StandardCharsets.UTF_8);
    final EventFileReader events;
    try {
      // the file's format and header are checked before Kafka is asked anything
      events = new EventFileReader(reader, expected);
    } catch (final IOException e) {
      reader.close();
      err.println("gradstream feed: " + file + ": " + e.getMessage());
      return e instanceof EventFileException ? Main.USAGE : Main.FAILURE;
    }
    final Properties kafka = kafkaProperties();
    final String unreachable = KafkaReach.problem(kafka);
    if (unreachable != null) {
      reader.close();
      err.println("gradstream feed: cannot reach Kafka at " + client.bootstrapServers + ": "
          + unreachable);
      return 1;
    }
    TopicSetup.ensureTopics(kafka, List.of(topic));

    final FeedProgress progress = new FeedProgress(err, System.console() != null, source.size(),
        events::consumedBytes, System.nanoTime());
    final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    final AtomicLong acknowledged = new AtomicLong();
    // lines sent and not yet acknowledged: where to resume is the first of them
    final ConcurrentSkipListSet<Long> unacknowledged = new ConcurrentSkipListSet<>();
    final long[] nextLine = {fromLine};
    if (format == InputFormat.AVRO_REGISTRY) {
      throw new ParameterException(spec.commandLine(), "feed writes --input-format "
          + "avro or json; registry-framed events come from your producers' serializers");
    }
    final EventEncoder encoder = format == InputFormat.JSON ? EventEncoder.json()
        : EventEncoder.avro();
    boolean interrupted = false;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka,
        new ByteArraySerializer(), new ByteArraySerializer()); reader) {
      try {
        events.read(new EventRowHandler() {
          private long sent;
          private final RateLimit limit = rate > 0 ? new RateLimit(rate, System.nanoTime())
              : null;

          @Override
          public void onEvent(final long line, final String key, final EventFields event) {
            if (line < fromLine || sendFailure.get() != null) {
              return;
            }

            if (stopRequested(stop)) {
              throw new Interrupted();
            }
            if (limit != null) {
              LockSupport.parkNanos(limit.delay(System.nanoTime()));
            }
            unacknowledged.add(line);
            // the record timestamp is the event time when there is one: one clock for both
            producer.send(new ProducerRecord<>(topic, null,
                event.eventTime >= 0 ? event.eventTime : null,
                key.getBytes(StandardCharsets.UTF_8), encoder.encode(event)), (metadata, e) -> {
                  if (e != null) {
                    sendFailure.compareAndSet(null, e);
                  } else {
                    unacknowledged.remove(line);
                    acknowledged.incrementAndGet();
                  }
                });
            nextLine[0] = line + 1;
            sent++;
            progress.sent(sent);
          }

          @Override
          public void onBadRow(final long line, final String reason, final String detail) {
            if (line >= fromLine) {
              nextLine[0] = line + 1;
              progress.skipped(line, reason, detail);
            }
          }
        });
      } catch (final Interrupted e) {
        interrupted = true;
      }
      producer.flush();
    } catch (final IOException e) {
      err.println("gradstream feed: " + e.getMessage());
      return 1;
    }
    progress.finish(acknowledged.get(), topic);
    final long resume = unacknowledged.isEmpty() ? nextLine[0] : unacknowledged.first();
    if (sendFailure.get() != null) {
      err.println("gradstream feed: sending failed: " + sendFailure.get().getMessage()
          + "; to resume: " + resumeCommand(resume));
      return 1;
    }
    if (interrupted) {
      err.println("feed: interrupted; Kafka acknowledged every event before line " + resume
          + "; to resume: " + resumeCommand(resume));
      return 130;
    }
    return 0;
  }

  /** The command line given, every flag kept, that starts again at {@code line}. */
  String resumeCommand(final long line) {
    final List<String> given = spec.commandLine().getParseResult().originalArgs();
    final StringBuilder command = new StringBuilder("gradstream");
    boolean named = false;
    for (int i = 0; i < given.size(); i++) {
      final String arg = given.get(i);
      if (arg.equals("--from-line")) {
        i++;
      } else if (!arg.startsWith("--from-line=")) {
        command.append(' ').append(shellWord(arg));
        if (!named && arg.equals(spec.name())) {
          named = true;
          command.append(" --from-line ").append(line);
        }
      }
    }
    return command.toString();
  }

  /** {@code word} as a POSIX shell reads it back: quoted unless it is plain. */
  static String shellWord(final String word) {
    return !word.isEmpty() && word.matches("[A-Za-z0-9_./:=,@%+-]+") ? word
        : "'" + word.replace("'", "'\\''") + "'";
  }

  private static boolean stopRequested(final StopSignal stop) {
    try {
      return stop.await(Duration.ZERO);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private Properties kafkaProperties() {
    final Properties props = KafkaClients.producer(
        ((Main) spec.parent().userObject()).environment, client.bootstrapServers);
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "10");
    props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
    return props;
  }
}
