package io.gradstream.stream;

import io.gradstream.avro.AvroBinaryWriter;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.Champion;
import io.gradstream.avro.Framing;
import io.gradstream.learn.race.KeyRace;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Encodes a change of a key's champion as a {@link Champion} after its framing's header, field by
 * field in schema order; a test holds the bytes equal to the generated class's. The variants'
 * names are made UTF-8 once.
 */
final class ChampionEncoder {
  static {
    AvroSafety.install();
  }

  private static final long FINGERPRINT = AvroValues.fingerprint(Champion.getClassSchema());

  /** The one schema a change of champion is written with. */
  static final List<Schema> SCHEMAS = List.of(Champion.getClassSchema());

  private final byte[][] names;
  private final byte[] header;
  private final double[] losses;
  private final AvroBinaryWriter out = new AvroBinaryWriter(128);
  private final TopicUtf8 topicUtf8 = new TopicUtf8();

  /** @param framing the champions topic's framing */
  ChampionEncoder(final List<String> variants, final Framing framing) {
    header = framing.header(FINGERPRINT);
    names = new byte[variants.size()][];
    for (int v = 0; v < names.length; v++) {
      names[v] = variants.get(v).getBytes(StandardCharsets.UTF_8);
    }
    losses = new double[names.length];
  }

  /** A variant's name as UTF-8. */
  byte[] name(final int variant) {
    return names[variant];
  }

  /** @param race the key's race right after the event that changed its champion */
  byte[] encode(final byte[] keyUtf8, final KeyRace race, final long time, final String topic,
      final int partition, final long offset) {
    out.start(header);
    out.writeUtf8(keyUtf8);
    out.writeUtf8(names[race.champion()]);
    out.writeLong(race.previous() < 0 ? 0 : 1);
    if (race.previous() >= 0) {
      out.writeUtf8(names[race.previous()]);
    }
    out.writeLong(race.events());
    out.writeLong(names.length);
    for (final byte[] name : names) {
      out.writeUtf8(name);
    }
    out.writeLong(0);
    for (int v = 0; v < losses.length; v++) {
      losses[v] = race.lossEwma(v);
    }
    out.writeDoubles(losses);
    out.writeLong(time);
    out.writeUtf8(topicUtf8.of(topic));
    out.writeInt(partition);
    out.writeLong(offset);
    return out.toByteArray();
  }
}
