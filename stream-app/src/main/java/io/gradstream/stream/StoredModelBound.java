package io.gradstream.stream;

import io.gradstream.avro.AvroSafety;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import java.util.Locale;
import java.util.Map;

/**
 * Whether the models of a service's settings can be stored at all: a model is one record of the
 * store's changelog, which the producer refuses beyond its max.request.size (Kafka's default
 * 1 MB), and its arrays are read back only up to {@link AvroSafety#MAX_ARRAY_ITEMS}. Settings
 * whose models would pass either are refused at start, in one line, rather than stopping the
 * service at the first write of such a model.
 */
public final class StoredModelBound {
  /** Kafka's default max.request.size (and the brokers' message.max.bytes, about the same). */
  static final long KAFKA_DEFAULT = 1_048_576;
  /** Bytes a stored coordinate takes at most beyond its state: its weight and its number. */
  private static final int COORDINATE_BYTES = 8 + 4;
  /** Room for the count's and the loss sum's growth from a new model's. */
  private static final int GROWTH = 16;

  private StoredModelBound() {}

  /** Why models of {@code spec} cannot be stored under {@code kafka}; null when they can. */
  public static String refusal(final ModelSpec spec, final Map<String, String> kafka) {
    final long values;
    if (spec.hashBits() > 0) {
      // a hashed network's columns share its arrays with its other parameters
      values = spec.layers() == null ? 0 : (long) spec.hashing().maxCoordinates()
          * spec.layers().units(1) * Math.max(1, spec.optimizer().kind().slots())
          + spec.optimizerStateSize();
    } else {
      values = Math.max(spec.layers() != null ? spec.layers().parameters() : spec.features(),
          spec.optimizerStateSize());
    }
    if (values > AvroSafety.MAX_ARRAY_ITEMS) {
      return String.format(Locale.ROOT, "models of these settings hold %,d values in one array, "
          + "more than a stored model may (%,d): use fewer features or hidden units", values,
          AvroSafety.MAX_ARRAY_ITEMS);
    }
    final long limit = maxRequestSize(kafka);
    final long bytes = mostBytes(spec);
    if (bytes > limit) {
      return String.format(Locale.ROOT, "models of these settings take up to %,d bytes stored, "
          + "more than the producer's max.request.size allows (%,d), so Kafka could not carry "
          + "them to the store's changelog: %s, or raise max.request.size "
          + "(KAFKA_MAX_REQUEST_SIZE) and the brokers' message.max.bytes", bytes, limit,
          spec.hashBits() > 0 ? "give a lower --max-coordinates" : "use fewer features or "
              + "hidden units");
    }
    return null;
  }

  /**
   * The most bytes one model takes stored: a dense model's size is its new one's (its count and
   * loss sum aside), a hashed one's grows by each coordinate up to its limit.
   */
  static long mostBytes(final ModelSpec spec) {
    final long base = new ModelSerde(spec.stepSettings()).toBytes(Model.initial(spec)).length
        + GROWTH;
    if (spec.hashBits() == 0) {
      return base;
    }
    final long values = spec.layers() == null ? 1 : spec.layers().units(1);
    return base + (long) spec.hashing().maxCoordinates()
        * (COORDINATE_BYTES - 8 + 8L * values * (1 + spec.optimizer().kind().slots()));
  }

  /** The producer's max.request.size as the service sets it, or Kafka's default. */
  static long maxRequestSize(final Map<String, String> kafka) {
    final String value = kafka.getOrDefault("producer.max.request.size",
        kafka.get("max.request.size"));
    if (value == null) {
      return KAFKA_DEFAULT;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (final NumberFormatException e) {
      return KAFKA_DEFAULT; // Kafka refuses it itself, in its own words
    }
  }
}
