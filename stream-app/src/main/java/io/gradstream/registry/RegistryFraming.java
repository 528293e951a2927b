package io.gradstream.registry;

import io.gradstream.avro.AvroValues;
import io.gradstream.avro.Framing;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A topic's records in a Schema Registry's framing: a zero byte, the writer schema's id as four
 * bytes, big-endian, then the Avro binary body. The ids come from registering each schema the
 * topic's records are written with under the topic's subject ({@code <topic>-value}, the
 * topic-name strategy every registry client defaults to), at start-up.
 */
public final class RegistryFraming implements Framing {
  /** The byte that opens every registry-framed record (Confluent's "magic byte"). */
  public static final byte MAGIC = 0;
  public static final int HEADER_LENGTH = 5;

  private final Map<Long, byte[]> headers;
  private final String subject;

  private RegistryFraming(final String subject, final Map<Long, byte[]> headers) {
    this.subject = subject;
    this.headers = Map.copyOf(headers);
  }

  /**
   * Registers (or finds) {@code schemas} under {@code topic}'s subject, in their order: oldest
   * first, so that a subject that checks compatibility sees each as the next version.
   */
  public static RegistryFraming register(final RegistryClient registry, final String topic,
      final List<Schema> schemas) throws RegistryRefusalException, RegistryUnavailableException {
    final String subject = subject(topic);
    final Map<Long, byte[]> headers = new HashMap<>();
    for (final Schema schema : schemas) {
      headers.put(AvroValues.fingerprint(schema), header(registry.register(subject, schema)));
    }
    return new RegistryFraming(subject, headers);
  }

  /** The topic-name strategy's subject of a topic's values. */
  public static String subject(final String topic) {
    return topic + "-value";
  }

  /** The five bytes before a body written with the schema of {@code id}. */
  public static byte[] header(final int id) {
    return new byte[] {MAGIC, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8),
        (byte) id};
  }

  /** The schema id of a registry-framed record; -1 when it is not one. */
  public static int id(final byte[] value) {
    if (value == null || value.length < HEADER_LENGTH || value[0] != MAGIC) {
      return -1;
    }
    return (value[1] & 0xFF) << 24 | (value[2] & 0xFF) << 16 | (value[3] & 0xFF) << 8
        | value[4] & 0xFF;
  }

  @Override
  public byte[] header(final long fingerprint) {
    final byte[] header = headers.get(fingerprint);
    if (header == null) {
      throw new IllegalArgumentException("no schema of fingerprint "
          + Long.toHexString(fingerprint) + " was registered under " + subject);
    }
    return header;
  }
}
