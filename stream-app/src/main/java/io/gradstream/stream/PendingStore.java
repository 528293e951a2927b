package io.gradstream.stream;

import io.gradstream.avro.AvroBinary;
import io.gradstream.avro.AvroBinaryWriter;
import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.events.AvroFeatures;
import io.gradstream.events.NamedFeatures;
import io.gradstream.step.PendingPrediction;
import io.gradstream.step.PendingPredictions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The pending predictions of one task in a logged persistent store (RocksDB and its changelog), so
 * that a million of them cost disk, not heap, and survive the instance. The store key is the model
 * id's length (4 bytes), the model id and the prediction id, all bytes; the value is a {@link
 * PendingPrediction} in single-object encoding, its event time first so the cleanup reads no more:
 * a dense model's in version 1 of the schema, the very bytes of the versions before named
 * features, a hashed model's with its features in version 2.
 */
final class PendingStore implements PendingPredictions {
  static {
    AvroSafety.install();
  }

  private static final long FINGERPRINT = // qualified: the Avro record of the same name
      AvroValues.fingerprint(io.gradstream.avro.PendingPrediction.getClassSchema());
  private static final long DENSE_FINGERPRINT = AvroValues.fingerprint(
      ReleasedSchemas.load(ReleasedSchemas.PENDING_PREDICTION_V1));

  private final KeyValueStore<Bytes, byte[]> store;
  private final AvroBinaryWriter out = new AvroBinaryWriter(64);
  private final PendingPrediction read = new PendingPrediction();
  private final NamedFeatures readFeatures = new NamedFeatures();
  private BinaryDecoder decoder;
  /** Where the cleanup goes on from: the last key it looked at, null to start from the first. */
  private Bytes sweptTo;
  /**
   * No entry is older than this (known after one full pass of the cleanup, lowered by every put
   * since), so that a cleanup with nothing to remove reads nothing; unknown at first.
   */
  private long oldestBound = Long.MIN_VALUE;
  /** The oldest entry kept or put since the current pass began. */
  private long passOldest = Long.MAX_VALUE;

  PendingStore(final KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  @Override
  public PendingPrediction get(final byte[] key, final String keyName,
      final String id) {
    return get(key, id, read, readFeatures);
  }

  /** The pending prediction read into {@code into} (its features into {@code features}). */
  PendingPrediction get(final byte[] key, final String id, final PendingPrediction into,
      final NamedFeatures features) {
    final byte[] value = store.get(storeKey(key, id));
    if (value == null) {
      return null;
    }
    decode(value, into, features);
    return into;
  }

  @Override
  public void put(final byte[] key, final String keyName, final String id, final double[] x,
      final NamedFeatures features, final double y, final long modelStep, final long eventTime) {
    out.start(features != null ? FINGERPRINT : DENSE_FINGERPRINT);
    out.writeLong(eventTime);
    out.writeDouble(y);
    out.writeLong(modelStep);
    out.writeDoubles(x);
    if (features != null) {
      AvroFeatures.write(features, out);
    }
    store.put(storeKey(key, id), out.toByteArray());
    passOldest = Math.min(passOldest, eventTime);
    oldestBound = Math.min(oldestBound, eventTime);
  }

  @Override
  public void remove(final byte[] key, final String keyName, final String id) {
    store.delete(storeKey(key, id));
  }

  /**
   * Removes, among at most {@code max} entries from where the last call stopped (wrapping around
   * at the end), those whose prediction is older than {@code before}.
   *
   * @return how many were removed
   */
  int sweep(final long before, final int max) {
    if (before <= oldestBound) {
      return 0;
    }
    int looked = 0;
    // deleted once the iterator is closed, so the iteration never sees its own changes
    final List<Bytes> expired = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> entries = store.range(sweptTo, null)) {
      while (looked < max && entries.hasNext()) {
        final KeyValue<Bytes, byte[]> entry = entries.next();
        if (entry.key.equals(sweptTo)) {
          continue;
        }
        looked++;
        sweptTo = entry.key;
        final long time = eventTime(entry.value);
        if (time < before) {
          expired.add(entry.key);
        } else {
          passOldest = Math.min(passOldest, time);
        }
      }
      if (looked < max) {
        // a whole pass: every entry left was looked at, or put since it began
        sweptTo = null;
        oldestBound = passOldest;
        passOldest = Long.MAX_VALUE;
      }
    }
    expired.forEach(store::delete);
    return expired.size();
  }

  long approximateEntries() {
    return store.approximateNumEntries();
  }

  static Bytes storeKey(final byte[] key, final String id) {
    final byte[] idUtf8 = id.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(4 + key.length + idUtf8.length).putInt(key.length)
        .put(key).put(idUtf8).array());
  }

  /** The event time alone: the first field, so nothing else is read. */
  private long eventTime(final byte[] value) {
    try {
      return open(value).readLong();
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void decode(final byte[] value, final PendingPrediction into,
      final NamedFeatures features) {
    try {
      final BinaryDecoder in = open(value);
      into.eventTime = in.readLong();
      into.y = in.readDouble();
      into.modelStep = in.readLong();
      into.x = AvroBinary.readDoubles(in);
      into.features = null;
      if (AvroValues.hasHeader(value, FINGERPRINT)) {
        features.clear();
        AvroFeatures.read(in, features);
        into.features = features;
      }
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The reused decoder, at the first field of a value written by {@link #put}. */
  private BinaryDecoder open(final byte[] value) {
    if (!AvroValues.hasHeader(value, FINGERPRINT)
        && !AvroValues.hasHeader(value, DENSE_FINGERPRINT)) {
      throw new IllegalStateException("a pending prediction in an unknown format");
    }
    decoder = DecoderFactory.get().binaryDecoder(value, AvroValues.HEADER_LENGTH,
        value.length - AvroValues.HEADER_LENGTH, decoder);
    return decoder;
  }
}
