package io.gradstream.stream;

import io.gradstream.avro.Framing;
import io.gradstream.registry.RegistryClient;
import io.gradstream.registry.RegistryFraming;
import io.gradstream.registry.RegistryRefusalException;
import io.gradstream.registry.RegistryUnavailableException;

/** How the records of each Avro topic the stream writes are framed. */
public record OutputFraming(Framing metrics, Framing predictions, Framing drifts,
    Framing champions) {
  /** gradstream's own: Avro's single-object encoding on every topic. */
  public static final OutputFraming SINGLE_OBJECT = new OutputFraming(Framing.SINGLE_OBJECT,
      Framing.SINGLE_OBJECT, Framing.SINGLE_OBJECT, Framing.SINGLE_OBJECT);

  /**
   * A Schema Registry's framing on every topic: each schema the topic's records are written with
   * registered (or found) under the topic's subject, oldest first.
   *
   * @param race whether champions are written (the champions topic's subject is left alone
   *     otherwise)
   */
  public static OutputFraming register(final RegistryClient registry, final TopicNames topics,
      final boolean race) throws RegistryRefusalException, RegistryUnavailableException {
    return new OutputFraming(
        RegistryFraming.register(registry, topics.metrics(), MetricEncoder.SCHEMAS),
        RegistryFraming.register(registry, topics.predictions(), PredictionEncoder.SCHEMAS),
        RegistryFraming.register(registry, topics.drifts(), DriftEncoder.SCHEMAS),
        race ? RegistryFraming.register(registry, topics.champions(), ChampionEncoder.SCHEMAS)
            : Framing.SINGLE_OBJECT);
  }
}
