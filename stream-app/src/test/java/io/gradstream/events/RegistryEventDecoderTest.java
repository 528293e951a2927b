package io.gradstream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradstream.avro.AvroValues;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.registry.RegistryClient.WriterSchemaText;
import io.gradstream.registry.RegistryFraming;
import io.gradstream.registry.WriterSchemas;
import io.gradstream.stream.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Registry-framed events: the released versions' own bytes behind a registry's header, a
 * producer's own records that resolve against LabeledEvent, and the dead letters' reasons.
 */
class RegistryEventDecoderTest {
  /** A producer's own record: another name, x as floats, d as an int, a field of its own. */
  private static final Schema PRODUCER = new Schema.Parser().parse("""
      {"type": "record", "name": "SensorReading", "namespace": "com.acme",
       "fields": [
         {"name": "site", "type": "string"},
         {"name": "x", "type": {"type": "array", "items": "float"}},
         {"name": "d", "type": "int"},
         {"name": "id", "type": ["null", "string"], "default": null}]}""");
  /** x as strings: nothing Avro can resolve to LabeledEvent's doubles. */
  private static final Schema TEXTUAL = new Schema.Parser().parse("""
      {"type": "record", "name": "LabeledEvent", "namespace": "com.acme",
       "fields": [{"name": "x", "type": {"type": "array", "items": "string"}}]}""");

  private final Map<Integer, WriterSchemaText> registry = new HashMap<>();
  private final AtomicInteger asked = new AtomicInteger();
  private final RegistryEventDecoder decoder = new RegistryEventDecoder(new WriterSchemas(id -> {
    asked.incrementAndGet();
    return registry.get(id);
  }, "the test's registry", Duration.ZERO));
  private final EventFields fields = new EventFields();

  RegistryEventDecoderTest() {
    registry.put(1, avro(ReleasedSchemas.load(ReleasedSchemas.LABELED_EVENT_V1)));
    registry.put(2, avro(ReleasedSchemas.load(ReleasedSchemas.LABELED_EVENT_V2)));
    registry.put(3, avro(ReleasedSchemas.load(ReleasedSchemas.LABELED_EVENT_V3)));
    registry.put(4, avro(LabeledEvent.getClassSchema()));
    registry.put(0, avro(ReleasedSchemas.load(ReleasedSchemas.LABELED_EVENT_V2)));
    registry.put(10, avro(PRODUCER));
    registry.put(11, avro(TEXTUAL));
    registry.put(12, new WriterSchemaText("PROTOBUF", "syntax = \"proto3\";"));
    registry.put(13, avro(Schema.create(Schema.Type.DOUBLE)));
  }

  @Test
  void readsTheBytesEachReleasedVersionWroteBehindARegistrysHeader() throws Exception {
    final List<byte[]> v2 = Fixtures.hexLines("/released/labeled-event-v2.hex");
    decoder.decode(framed(2, v2.get(0)), fields);
    assertThat(fields.x).containsExactly(0.5, -1.25);
    assertThat(fields.d).isEqualTo(0.75);
    assertThat(fields.eventTime).isEqualTo(1700000000123L);
    assertThat(fields.id).isEqualTo("evt-7");
    decoder.decode(framed(2, v2.get(1)), fields);
    assertThat(fields.x).containsExactly(2.0);
    assertThat(fields.hasLabel).isFalse();
    assertThat(fields.id).isEqualTo("p1");

    final AvroEventDecoder singleObject = new AvroEventDecoder();
    for (final int version : new int[] {1, 3}) {
      for (final byte[] released : Fixtures.hexLines("/released/labeled-event-v" + version
          + ".hex")) {
        final EventFields expected = new EventFields();
        singleObject.decode(released, expected);
        decoder.decode(framed(version, released), fields);
        assertSameEvent(fields, expected);
      }
    }
    final LabeledEvent current = LabeledEvent.newBuilder().setX(List.of(3.0, -4.0))
        .setLabel("cat").setId("c1").build();
    decoder.decode(framed(4, current.toByteBuffer().array()), fields);
    assertThat(fields.x).containsExactly(3.0, -4.0);
    assertThat(fields.label).isEqualTo("cat");
    assertThat(fields.hasLabel).isTrue();
    assertThat(fields.id).isEqualTo("c1");
  }

  @Test
  void readsAProducersOwnRecordThatResolvesAndFetchesEachSchemaOnce() throws Exception {
    for (int i = 0; i < 3; i++) {
      decoder.decode(write(10, PRODUCER, Map.of("site", "north", "x", List.of(0.5f, -2f),
          "d", 3 + i, "id", "e" + i)), fields);
      assertThat(fields.x).containsExactly(0.5, -2.0);
      assertThat(fields.d).isEqualTo(3.0 + i);
      assertThat(fields.hasLabel).isTrue();
      assertThat(fields.id).isEqualTo("e" + i);
      assertThat(fields.eventTime).isEqualTo(EventFields.NO_TIME);
    }
    decoder.decode(framed(2, EventEncoder.avro().encode(new double[] {1}, 0)), fields);
    decoder.decode(write(10, PRODUCER, Map.of("site", "s", "x", List.of(1f), "d", 1)), fields);
    assertThat(fields.id).isNull();
    assertThat(asked).hasValue(2);
    // an id of 0 is an id too
    decoder.decode(framed(0, EventEncoder.avro().encode(new double[] {5}, 6)), fields);
    assertThat(fields.x).containsExactly(5.0);
  }

  /** Every field by name, each promoted as Avro promotes it: ints to doubles, bytes to text. */
  @Test
  void takesEveryFieldOfAProducersRecordByNameWithAvrosPromotions() throws Exception {
    final Schema wide = new Schema.Parser().parse("""
        {"type": "record", "name": "Observation", "fields": [
          {"name": "label", "type": "string"},
          {"name": "features", "type": {"type": "map", "values": ["int", "string", "boolean"]}},
          {"name": "id", "type": "bytes"},
          {"name": "eventTime", "type": "int"},
          {"name": "x", "type": ["null", {"type": "array", "items": "long"}]}]}""");
    registry.put(20, avro(wide));
    decoder.decode(write(20, wide, Map.of("label", "fraud", "features", Map.of("amount", 120,
        "country", "fr", "returning", true), "id", ByteBuffer.wrap("é-1".getBytes(
            StandardCharsets.UTF_8)), "eventTime", 1_700_000)), fields);
    assertThat(fields.x).isNull();
    assertThat(fields.label).isEqualTo("fraud");
    assertThat(fields.hasLabel).isTrue();
    assertThat(fields.d).isNaN();
    assertThat(fields.id).isEqualTo("é-1");
    assertThat(fields.eventTime).isEqualTo(1_700_000L);
    assertThat(fields.hasFeatures).isTrue();
    assertThat(features(fields.features)).containsExactlyInAnyOrder(
        "amount NUMBER 120.0 null", "country CATEGORY 1.0 fr", "returning BOOLEAN 1.0 null");
    decoder.decode(write(20, wide, Map.of("label", "ok", "features", Map.of(), "id",
        ByteBuffer.allocate(0), "eventTime", 0, "x", List.of(7L, -2L))), fields);
    assertThat(fields.x).containsExactly(7.0, -2.0);
    assertThat(fields.id).isEmpty();
  }

  /** LabeledEvent as a producer evolved it on its side: a field more, d as a float. */
  @Test
  void readsAProducersOwnVersionOfLabeledEvent() throws Exception {
    final Schema evolved = new Schema.Parser().parse("""
        {"type": "record", "name": "LabeledEvent", "namespace": "io.gradstream.avro",
         "fields": [
           {"name": "x", "type": {"type": "array", "items": "double"}},
           {"name": "d", "type": "float"},
           {"name": "source", "type": "string"}]}""");
    registry.put(21, avro(evolved));
    decoder.decode(write(21, evolved, Map.of("x", List.of(1.5, 2.5), "d", 0.5f, "source",
        "plant-3")), fields);
    assertThat(fields.x).containsExactly(1.5, 2.5);
    assertThat(fields.d).isEqualTo(0.5);
  }

  @Test
  void aSchemaThatDoesNotResolveIsADeadLetterOfItsOwnReason() {
    final byte[] textual = write(11, TEXTUAL, Map.of("x", List.of("1.5")));
    assertThatThrownBy(() -> decoder.decode(textual, fields))
        .isInstanceOfSatisfying(UndecodableEventException.class, e ->
            assertThat(e.reason()).isEqualTo(Outcome.SCHEMA_NOT_RESOLVABLE))
        // qualified: the writer record's full name, as the message names it
        .hasMessageStartingWith("schema 11 (com.acme.LabeledEvent) does not resolve against "
            + "LabeledEvent: ")
        .hasMessageEndingWith("reader union lacking writer type: ARRAY at /fields/0/type");
    assertThatThrownBy(() -> decoder.decode(new byte[] {0, 0, 0, 0, 12, 1}, fields))
        .isInstanceOfSatisfying(UndecodableEventException.class, e ->
            assertThat(e.reason()).isEqualTo(Outcome.SCHEMA_NOT_RESOLVABLE))
        .hasMessage("schema 12 is PROTOBUF, not Avro");
    assertThatThrownBy(() -> decoder.decode(new byte[] {0, 0, 0, 0, 13, 1}, fields))
        .isInstanceOfSatisfying(UndecodableEventException.class, e ->
            assertThat(e.reason()).isEqualTo(Outcome.SCHEMA_NOT_RESOLVABLE))
        .hasMessage("schema 13 is double, not a record that resolves against LabeledEvent");
  }

  @Test
  void anIdTheRegistryDoesNotKnowIsADeadLetterOfItsOwnReason() {
    assertThatThrownBy(() -> decoder.decode(new byte[] {0, 0, 1, 0, 0, 2}, fields))
        .isInstanceOfSatisfying(UndecodableEventException.class, e ->
            assertThat(e.reason()).isEqualTo(Outcome.UNKNOWN_SCHEMA_ID))
        .hasMessage("schema id 65536 is not in the schema registry at the test's registry");
  }

  @Test
  void bytesThatAreNotRegistryFramedSayWhatTheyAre() {
    final byte[] singleObject = EventEncoder.avro().encode(new double[] {1}, 1);
    assertThatThrownBy(() -> decoder.decode(singleObject, fields))
        .isInstanceOfSatisfying(UndecodableEventException.class, e ->
            assertThat(e.reason()).isEqualTo(Outcome.UNDECODABLE))
        .hasMessageEndingWith("it is in Avro single-object encoding (read it with "
            + "--input-format avro)");
    assertThatThrownBy(() -> decoder.decode("{\"x\": [1]}".getBytes(StandardCharsets.UTF_8),
        fields)).hasMessageEndingWith("(read JSON events with --input-format json)");
    assertThatThrownBy(() -> decoder.decode(new byte[] {0, 0, 1}, fields))
        .hasMessage("not registry-framed Avro (a zero byte, a 4-byte schema id, then Avro "
            + "binary): it has only 3 bytes");
    assertThatThrownBy(() -> decoder.decode(new byte[] {7, 0, 0, 0, 4}, fields))
        .hasMessageEndingWith("its first byte is 7");
    assertThatThrownBy(() -> decoder.decode(new byte[] {(byte) 0xC3, 0x01}, fields))
        .hasMessageEndingWith("it is in Avro single-object encoding (read it with "
            + "--input-format avro)");
    assertThatThrownBy(() -> decoder.decode(null, fields)).hasMessage("null value");
  }

  @Test
  void aTruncatedBodyIsUndecodableAndLeavesNoHalfEvent() {
    final byte[] whole = framed(2, EventEncoder.avro().encode(new double[] {1, 2, 3}, 1));
    final byte[] cut = Arrays.copyOf(whole, whole.length - 9);
    assertThatThrownBy(() -> decoder.decode(cut, fields))
        .isInstanceOfSatisfying(UndecodableEventException.class, e ->
            assertThat(e.reason()).isEqualTo(Outcome.UNDECODABLE))
        .hasMessageStartingWith("not a LabeledEvent written with schema 2: ");
    assertThat(fields.x).isNull();
    final byte[] producerCut = write(10, PRODUCER, Map.of("site", "s", "x", List.of(1f), "d", 1));
    assertThatThrownBy(() -> decoder.decode(Arrays.copyOf(producerCut, producerCut.length - 1),
        fields)).hasMessageStartingWith("not a LabeledEvent written with schema 10: ");
  }

  private static void assertSameEvent(final EventFields actual, final EventFields expected) {
    assertThat(actual.x).isEqualTo(expected.x);
    assertThat(actual.hasLabel).isEqualTo(expected.hasLabel);
    assertThat(actual.d).isEqualTo(expected.d);
    assertThat(actual.eventTime).isEqualTo(expected.eventTime);
    assertThat(actual.id).isEqualTo(expected.id);
    assertThat(actual.hasFeatures).isEqualTo(expected.hasFeatures);
    assertThat(features(actual.features)).isEqualTo(features(expected.features));
  }

  private static List<String> features(final NamedFeatures features) {
    final List<String> all = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      all.add(features.name(i) + " " + features.kind(i) + " " + features.value(i) + " "
          + features.category(i));
    }
    return all;
  }

  private static WriterSchemaText avro(final Schema schema) {
    return new WriterSchemaText("AVRO", schema.toString());
  }

  /** The body of single-object encoded {@code released} behind schema {@code id}'s header. */
  static byte[] framed(final int id, final byte[] released) {
    final byte[] header = RegistryFraming.header(id);
    final byte[] framed = new byte[header.length + released.length - AvroValues.HEADER_LENGTH];
    System.arraycopy(header, 0, framed, 0, header.length);
    System.arraycopy(released, AvroValues.HEADER_LENGTH, framed, header.length,
        released.length - AvroValues.HEADER_LENGTH);
    return framed;
  }

  /** A record of {@code schema} as a registry's serializer writes it under {@code id}. */
  private static byte[] write(final int id, final Schema schema, final Map<String, ?> values) {
    final GenericRecord record = new GenericData.Record(schema);
    values.forEach(record::put);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(RegistryFraming.header(id));
    try {
      final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
      encoder.flush();
    } catch (final IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
