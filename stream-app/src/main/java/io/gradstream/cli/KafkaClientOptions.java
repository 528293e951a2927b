package io.gradstream.cli;

import picocli.CommandLine.Option;

/** Where the client commands (feed, tail) find Kafka: the same flag and default for both. */
final class KafkaClientOptions {
  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
      defaultValue = "localhost:9092",
      description = "Kafka to use (or KAFKA_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE}, where "
          + "run and demo start their embedded Kafka).")
  String bootstrapServers;
}
