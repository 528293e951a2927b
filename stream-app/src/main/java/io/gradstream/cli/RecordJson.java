package io.gradstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.avro.ModelState;
import io.gradstream.avro.PendingPrediction;
import io.gradstream.avro.Prediction;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.avro.TrainingMetric;
import io.gradstream.query.ModelJson;
import io.gradstream.registry.RegistryFraming;
import io.gradstream.registry.RegistryOutageException;
import io.gradstream.registry.WriterSchemas;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One record of any gradstream topic as a line of JSON for a person: where it is, its key, its
 * headers (a dead letter's reason among them) and its value, decoded by the schema its Avro
 * single-object encoding names (every version gradstream ever wrote), else as JSON, else as
 * text, else as base64.
 */
final class RecordJson {
  private final Map<Long, Schema> schemas = new HashMap<>();
  private final WriterSchemas registry;

  /** @param registry the registry of registry-framed values; null when none was given */
  RecordJson(final WriterSchemas registry) {
    this.registry = registry;
    final List<Schema> all = new ArrayList<>(List.of(LabeledEvent.getClassSchema(),
        TrainingMetric.getClassSchema(), Prediction.getClassSchema(),
        ModelState.getClassSchema(), PendingPrediction.getClassSchema()));
    ReleasedSchemas.ALL.forEach(name -> all.add(ReleasedSchemas.load(name)));
    for (final Schema schema : all) {
      schemas.put(AvroValues.fingerprint(schema), schema);
    }
  }

  ObjectNode of(final ConsumerRecord<byte[], byte[]> record) {
    final ObjectNode line = ModelJson.MAPPER.createObjectNode();
    line.put("topic", record.topic());
    line.put("partition", record.partition());
    line.put("offset", record.offset());
    line.put("timestamp", record.timestamp());
    putBytes(line, "key", record.key());
    if (record.headers().iterator().hasNext()) {
      final ObjectNode headers = line.putObject("headers");
      for (final Header h : record.headers()) {
        final String text = utf8(h.value());
        headers.put(h.key(), text != null ? text : Base64.getEncoder().encodeToString(h.value()));
      }
    }
    final byte[] value = record.value();
    final Schema schema = value != null && AvroValues.hasMarker(value)
        ? schemas.get(AvroValues.headerFingerprint(value)) : null;
    if (schema != null && putAvro(line, schema, value, AvroValues.HEADER_LENGTH)) {
      return line;
    }
    final int id = schema == null ? RegistryFraming.id(value) : -1;
    if (id >= 0 && registry == null) {
      line.put("undecodable", "registry-framed (schema id " + id + "): give "
          + "--schema-registry-url to decode it");
    } else if (id >= 0) {
      line.put("schemaId", id);
      try {
        final WriterSchemas.Answer answer = registry.get(id);
        if (answer.schema() == null) {
          line.put("undecodable", answer.problem());
        } else if (putAvro(line, answer.schema(), value, RegistryFraming.HEADER_LENGTH)) {
          return line;
        }
      } catch (final RegistryOutageException e) {
        line.put("undecodable", e.getMessage());
      }
    }
    putValue(line, value);
    return line;
  }

  /** Whether the Avro body from {@code offset} on decoded with {@code schema} (into "value"). */
  private static boolean putAvro(final ObjectNode line, final Schema schema, final byte[] value,
      final int offset) {
    try {
      final Object datum = new GenericDatumReader<>(schema).read(null, DecoderFactory.get()
          .binaryDecoder(value, offset, value.length - offset, null));
      line.put("schema", schema.getName());
      line.set("value", json(datum));
      return true;
    } catch (final IOException | RuntimeException e) {
      line.put("undecodable", schema.getName() + ": " + e.getMessage());
      return false;
    }
  }

  /** The value as JSON when it is JSON (the json input format), else as text or base64. */
  private static void putValue(final ObjectNode line, final byte[] value) {
    final String text = value == null ? null : utf8(value);
    if (text != null) {
      try {
        final JsonNode parsed = ModelJson.MAPPER.readTree(text);
        if (parsed != null && parsed.isContainerNode()) {
          line.set("value", parsed);
          return;
        }
      } catch (final IOException e) {
        // not JSON: written as text below
      }
    }
    putBytes(line, "value", value);
  }

  private static void putBytes(final ObjectNode line, final String field, final byte[] bytes) {
    if (bytes == null) {
      line.putNull(field);
      return;
    }
    final String text = utf8(bytes);
    if (text != null) {
      line.put(field, text);
    } else {
      line.put(field + "Base64", Base64.getEncoder().encodeToString(bytes));
    }
  }

  /** A generic Avro datum as JSON: records as objects in field order, unions as their value. */
  private static JsonNode json(final Object datum) {
    final JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (datum == null) {
      return nodes.nullNode();
    }
    if (datum instanceof GenericRecord record) {
      final ObjectNode object = nodes.objectNode();
      for (final Schema.Field field : record.getSchema().getFields()) {
        object.set(field.name(), json(record.get(field.pos())));
      }
      return object;
    }
    if (datum instanceof Map<?, ?> map) {
      final ObjectNode object = nodes.objectNode();
      map.forEach((k, v) -> object.set(k.toString(), json(v)));
      return object;
    }
    if (datum instanceof Iterable<?> items) {
      final ArrayNode array = nodes.arrayNode();
      items.forEach(item -> array.add(json(item)));
      return array;
    }
    if (datum instanceof Double d) {
      return nodes.numberNode(d);
    }
    if (datum instanceof Float f) {
      return nodes.numberNode(f);
    }
    if (datum instanceof Long l) {
      return nodes.numberNode(l);
    }
    if (datum instanceof Integer i) {
      return nodes.numberNode(i);
    }
    if (datum instanceof Boolean b) {
      return nodes.booleanNode(b);
    }
    if (datum instanceof ByteBuffer buffer) {
      final byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return nodes.textNode(Base64.getEncoder().encodeToString(bytes));
    }
    // strings, enum symbols and anything else: as text
    return nodes.textNode(datum.toString());
  }

  /** The bytes as UTF-8 text, or null when they are not valid UTF-8. */
  private static String utf8(final byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (final CharacterCodingException e) {
      return null;
    }
  }
}
