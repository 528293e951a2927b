package io.gradstream.events;

import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.registry.RegistryFraming;
import io.gradstream.registry.WriterSchemas;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;

/**
 * Reads {@link LabeledEvent}s in a Schema Registry's framing (a zero byte, the writer schema's
 * 4-byte id, then Avro binary), as Confluent's, Apicurio's and Karapace's serializers write them.
 * The writer schema is fetched by its id ({@link WriterSchemas}); a released version of
 * LabeledEvent is read field by field, as in single-object encoding, and any other record that
 * resolves against LabeledEvent by Avro's rules (a producer's own: fewer optional fields, more
 * fields, floats or ints for the doubles) through Avro's resolution. The writer's record may have
 * any name: the topic says what it holds, its fields how.
 */
public final class RegistryEventDecoder implements EventDecoder {
  static {
    AvroSafety.install();
  }

  private static final Schema READER = LabeledEvent.getClassSchema();

  /**
   * How one writer schema is read, or why it is not: a released version field by field, any
   * other with Avro's reader of the writer's own schema and {@link WriterFields}.
   */
  private record Plan(int version, DatumReader<GenericRecord> reader, WriterFields fields,
      Outcome refusal, String problem) {}

  private final WriterSchemas schemas;
  private final AvroEventDecoder released = new AvroEventDecoder();
  /** This thread's plans by schema id; a stream's records nearly all carry the last one's. */
  private final Map<Integer, Plan> plans = new HashMap<>();
  private int lastId = -1;
  private Plan last;
  private GenericRecord reuse;
  private BinaryDecoder decoder;

  public RegistryEventDecoder(final WriterSchemas schemas) {
    this.schemas = schemas;
  }

  @Override
  public void decode(final byte[] value, final EventFields into) throws UndecodableEventException {
    into.clear();
    if (value == null) {
      throw new UndecodableEventException("null value");
    }
    final int id = RegistryFraming.id(value);
    if (id < 0) {
      throw new UndecodableEventException("not registry-framed Avro (a zero byte, a 4-byte schema "
          + "id, then Avro binary): " + notFramed(value));
    }
    final Plan plan = id == lastId ? last : plan(id);
    if (plan.refusal() != null) {
      throw new UndecodableEventException(plan.refusal(), plan.problem(), null);
    }
    try {
      if (plan.version() > 0) {
        released.read(value, RegistryFraming.HEADER_LENGTH, into, plan.version());
      } else {
        decoder = DecoderFactory.get().binaryDecoder(value, RegistryFraming.HEADER_LENGTH,
            value.length - RegistryFraming.HEADER_LENGTH, decoder);
        reuse = plan.reader().read(reuse, decoder);
        plan.fields().fill(reuse, into);
      }
    } catch (final Exception | StackOverflowError | OutOfMemoryError e) {
      // Avro reports truncation and absurd lengths in several ways
      into.clear();
      throw new UndecodableEventException("not a LabeledEvent written with schema " + id + ": "
          + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static String notFramed(final byte[] value) {
    if (value.length >= 2 && value[0] == AvroValues.MARKER_0 && value[1] == AvroValues.MARKER_1) {
      return "it is in Avro single-object encoding (read it with --input-format avro)";
    }
    if (JsonEventDecoder.looksLikeJson(value)) {
      return "it begins with '{' as JSON does (read JSON events with --input-format json)";
    }
    return value.length < RegistryFraming.HEADER_LENGTH ? "it has only " + value.length
        + (value.length == 1 ? " byte" : " bytes") : "its first byte is " + (value[0] & 0xFF);
  }

  private Plan plan(final int id) {
    Plan plan = plans.get(id);
    if (plan == null) {
      final WriterSchemas.Answer answer = schemas.get(id);
      plan = plan(id, answer);
      if (answer.unknown()) {
        return plan; // asked about again later (WriterSchemas decides when)
      }
      plans.put(id, plan);
    }
    lastId = id;
    last = plan;
    return plan;
  }

  private static Plan plan(final int id, final WriterSchemas.Answer answer) {
    if (answer.unknown()) {
      return new Plan(0, null, null, Outcome.UNKNOWN_SCHEMA_ID, answer.problem());
    }
    if (answer.schema() == null) {
      return new Plan(0, null, null, Outcome.SCHEMA_NOT_RESOLVABLE, answer.problem());
    }
    final Schema writer = answer.schema();
    final int version = AvroEventDecoder.version(AvroValues.fingerprint(writer));
    if (version > 0) {
      return new Plan(version, null, null, null, null);
    }
    if (writer.getType() != Schema.Type.RECORD) {
      return new Plan(0, null, null, Outcome.SCHEMA_NOT_RESOLVABLE, "schema " + id + " is "
          + writer.getType().getName() + ", not a record that resolves against LabeledEvent");
    }
    final Schema reader = readerFor(writer);
    final SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return new Plan(0, null, null, Outcome.SCHEMA_NOT_RESOLVABLE, "schema " + id + " ("
          + writer.getFullName() + ") does not resolve against LabeledEvent: "
          + compatibility.getResult().getIncompatibilities().stream()
              .map(i -> i.getMessage() + " at " + i.getLocation())
              .collect(Collectors.joining("; ")));
    }
    // read as written, then taken over by name: Avro 1.12's own resolution refuses an array of
    // floats for doubles, sizing its items by the reader's type
    return new Plan(0, new GenericDatumReader<>(writer), new WriterFields(writer), null, null);
  }

  /**
   * LabeledEvent's schema under the writer record's name: Avro matches records by name, the
   * topic already says what its records are (an alias cannot name a record without a namespace).
   */
  private static Schema readerFor(final Schema writer) {
    if (writer.getFullName().equals(READER.getFullName())) {
      return READER;
    }
    return Schema.createRecord(writer.getName(), READER.getDoc(), writer.getNamespace(), false,
        READER.getFields().stream().map(f -> new Schema.Field(f, f.schema())).toList());
  }

}
