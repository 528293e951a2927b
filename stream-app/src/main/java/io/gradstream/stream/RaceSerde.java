package io.gradstream.stream;

import io.gradstream.avro.AvroBinary;
import io.gradstream.avro.AvroBinaryWriter;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.RaceState;
import io.gradstream.learn.Model;
import io.gradstream.learn.race.KeyRace;
import io.gradstream.learn.race.RaceRule;
import io.gradstream.learn.race.RaceSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Stores one key's race as an Avro {@link RaceState} in single-object encoding, in place of a
 * model: the race's settings, its state, and each variant's model as the very bytes a {@link
 * ModelSerde} with that variant's settings writes, so every variant stays a ModelState any reader
 * of models reads. A test holds the bytes equal to the generated class's.
 */
final class RaceSerde {
  static {
    AvroSafety.install();
  }

  private static final long FINGERPRINT = AvroValues.fingerprint(RaceState.getClassSchema());

  /** A stored race: its settings, its state, and each variant's stored model (or null). */
  record Stored(List<String> names, RaceRule rule, KeyRace race,
      List<ModelSerde.Stored> models) {
    /** The variant that answers for the key: its champion, else the first with a model. */
    int servingVariant() {
      final int champion = race.serving();
      if (models.get(champion) != null) {
        return champion;
      }
      for (int v = 0; v < models.size(); v++) {
        if (models.get(v) != null) {
          return v;
        }
      }
      throw new IllegalStateException("a stored race without a model");
    }
  }

  private final RaceSpec spec;
  private final ModelSerde[] variants;
  private final AvroBinaryWriter writer = new AvroBinaryWriter(512);
  private BinaryDecoder decoder;

  /** @param spec the running race, whose variants' settings its models are written with */
  RaceSerde(final RaceSpec spec) {
    this.spec = spec;
    this.variants = new ModelSerde[spec.variants()];
    for (int v = 0; v < variants.length; v++) {
      variants[v] = new ModelSerde(spec.specs().get(v).stepSettings());
    }
  }

  /** Whether {@code bytes} hold a race rather than one model. */
  static boolean isRace(final byte[] bytes) {
    return AvroValues.hasHeader(bytes, FINGERPRINT);
  }

  byte[] toBytes(final RacedModels raced) {
    final KeyRace race = raced.race();
    final byte[][] models = new byte[variants.length][];
    for (int v = 0; v < variants.length; v++) {
      final Model model = raced.model(v);
      models[v] = model == null ? null : variants[v].toBytes(model);
    }
    writer.start(FINGERPRINT);
    writer.writeLong(variants.length);
    for (final String name : spec.names()) {
      writer.writeString(name);
    }
    writer.writeLong(0);
    writer.writeDouble(spec.rule().halfLife());
    writer.writeLong(spec.rule().warmup());
    writer.writeLong(race.events());
    writer.writeInt(race.champion());
    final double[] losses = new double[variants.length];
    for (int v = 0; v < variants.length; v++) {
      losses[v] = race.lossEwma(v);
    }
    writer.writeDoubles(losses);
    writer.writeLong(variants.length);
    for (final byte[] model : models) {
      writer.writeLong(model == null ? 0 : 1);
      if (model != null) {
        writer.writeUtf8(model);
      }
    }
    writer.writeLong(0);
    return writer.toByteArray();
  }

  /** A stored race, each variant's model read with the settings it was stored under. */
  static Stored read(final byte[] bytes) {
    if (!isRace(bytes)) {
      throw new SerializationException("a stored race is not a RaceState");
    }
    final BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, AvroValues.HEADER_LENGTH,
        bytes.length - AvroValues.HEADER_LENGTH, null);
    try {
      final List<String> names = new ArrayList<>();
      for (long block = in.readArrayStart(); block != 0; block = in.arrayNext()) {
        for (long i = 0; i < block; i++) {
          names.add(in.readString());
          if (names.size() > AvroSafety.MAX_ARRAY_ITEMS) {
            throw new IOException("too many variants");
          }
        }
      }
      final RaceRule rule = new RaceRule(in.readDouble(), in.readLong());
      final long events = in.readLong();
      final int champion = in.readInt();
      final double[] losses = AvroBinary.readDoubles(in);
      final List<ModelSerde.Stored> models = new ArrayList<>();
      ByteBuffer buffer = null;
      for (long block = in.readArrayStart(); block != 0; block = in.arrayNext()) {
        for (long i = 0; i < block; i++) {
          if (in.readIndex() == 0) {
            models.add(null);
          } else {
            buffer = in.readBytes(buffer);
            final byte[] model = new byte[buffer.remaining()];
            buffer.get(model);
            models.add(ModelSerde.reader().read(model));
          }
        }
      }
      if (losses.length != names.size() || models.size() != names.size()) {
        throw new IOException(names.size() + " variants with " + losses.length
            + " weighted losses and " + models.size() + " models");
      }
      return new Stored(names, rule, KeyRace.restore(losses, events, champion), models);
    } catch (final IOException | RuntimeException e) {
      throw new SerializationException("stored race is not a RaceState: " + e.getMessage(), e);
    }
  }
}
