package io.gradstream.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads the JSON event object of PRODUCT.md, {@code {"key": "sensor-7", "x": [0.5, 1.25], "d":
 * 0.3}}, from a Kafka value or a JSON Lines row. Other fields are ignored. NaN and Infinity are
 * accepted as tokens so that they are reported as non-finite values, not as garbage.
 */
public final class JsonEventDecoder implements EventDecoder {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private double[] scratch = new double[16];

  @Override
  public void decode(final byte[] value, final EventFields into) throws UndecodableEventException {
    into.clear();
    if (value == null) {
      throw new UndecodableEventException("null value");
    }
    try (JsonParser p = FACTORY.createParser(value)) {
      read(p, into);
    } catch (final IOException e) {
      throw new UndecodableEventException("not a JSON event: " + message(e), e);
    }
  }

  /** Decodes one line of a JSON Lines file. */
  public void decode(final String line, final EventFields into) throws UndecodableEventException {
    into.clear();
    try (JsonParser p = FACTORY.createParser(line)) {
      read(p, into);
    } catch (final IOException e) {
      throw new UndecodableEventException("not a JSON event: " + message(e), e);
    }
  }

  /** Jackson's message without the long source-location suffix. */
  private static String message(final IOException e) {
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }

  private void read(final JsonParser p, final EventFields into)
      throws IOException, UndecodableEventException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new UndecodableEventException("expected a JSON object");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      final String field = p.currentName();
      final JsonToken t = p.nextToken();
      switch (field) {
        case "x" -> into.x = readVector(p, t);
        case "d" -> readLabel(p, t, into);
        case "key" -> into.key = readKey(p, t);
        case "eventTime" -> into.eventTime = readTime(p, t);
        default -> p.skipChildren();
      }
    }
    if (p.nextToken() != null) {
      throw new UndecodableEventException("trailing content after the JSON object");
    }
    if (into.x == null) {
      throw new UndecodableEventException("no \"x\" array");
    }
  }

  private double[] readVector(final JsonParser p, final JsonToken t)
      throws IOException, UndecodableEventException {
    if (t != JsonToken.START_ARRAY) {
      throw new UndecodableEventException("\"x\" must be an array of numbers");
    }
    int n = 0;
    JsonToken v;
    while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
      if (!v.isNumeric()) {
        throw new UndecodableEventException("\"x\" must hold only numbers, found " + v.asString());
      }
      if (n == scratch.length) {
        scratch = Arrays.copyOf(scratch, n * 2);
      }
      scratch[n++] = p.getDoubleValue();
    }
    return Arrays.copyOf(scratch, n);
  }

  private static void readLabel(final JsonParser p, final JsonToken t, final EventFields into)
      throws IOException, UndecodableEventException {
    if (t == JsonToken.VALUE_NULL) {
      into.hasLabel = false;
      return;
    }
    if (!t.isNumeric()) {
      throw new UndecodableEventException("\"d\" must be a number");
    }
    into.d = p.getDoubleValue();
    into.hasLabel = true;
  }

  private static String readKey(final JsonParser p, final JsonToken t)
      throws IOException, UndecodableEventException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new UndecodableEventException("\"key\" must be a string");
    }
    return p.getText();
  }

  private static long readTime(final JsonParser p, final JsonToken t)
      throws IOException, UndecodableEventException {
    if (t == JsonToken.VALUE_NULL) {
      return EventFields.NO_TIME;
    }
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw new UndecodableEventException("\"eventTime\" must be milliseconds since the epoch");
    }
    return p.getLongValue();
  }
}
