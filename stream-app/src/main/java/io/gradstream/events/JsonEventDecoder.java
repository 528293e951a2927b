package io.gradstream.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;

/**
 * Reads the JSON event object, {@code {"key": "sensor-7", "x": [0.5, 1.25], "d": 0.3}}, from a
 * Kafka value or a JSON Lines row, with the optional {@code "id"} and {@code "eventTime"}; an
 * absent or null {@code x} or {@code d} is an event without it; a {@code d} that is a string
 * (not one of the non-finite numbers below) is a class name, for a multi-class model. Instead of
 * x, a hashed model's event carries {@code "features"}, an object of numbers, booleans and strings
 * (categories), where null is an absent feature; a nested object or array is refused. Other
 * fields are ignored. NaN and
 * ±Infinity are accepted as tokens and as the strings {@code "NaN"}, {@code "Infinity"} and {@code
 * "-Infinity"} (how many JSON libraries write them), so that they are reported as non-finite
 * values, as in Avro and CSV, not as garbage.
 */
public final class JsonEventDecoder implements EventDecoder {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  /** The strings that stand for non-finite numbers. */
  private static final Set<String> NON_FINITE = Set.of("NaN", "Infinity", "-Infinity");

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
      throw new UndecodableEventException("not a JSON event: " + (value.length >= 2
          && value[0] == (byte) 0xC3 && value[1] == 0x01
              ? "it begins with C3 01, Avro's single-object marker (read Avro events with "
                  + "--input-format avro)"
              : message(e)), e);
    }
  }

  /** Whether {@code value}'s first character that is not white space is '{'. */
  static boolean looksLikeJson(final byte[] value) {
    for (final byte b : value) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return b == '{';
      }
    }
    return false;
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
        case "x" -> into.x = t == JsonToken.VALUE_NULL ? null : readVector(p, t);
        case "features" -> readFeatures(p, t, into);
        case "d" -> readLabel(p, t, into);
        case "key" -> into.key = readKey(p, t);
        case "eventTime" -> into.eventTime = readTime(p, t);
        case "id" -> into.id = readId(p, t);
        case "control" -> into.control = readControl(p, t);
        case "model" -> into.controlModelJson = t == JsonToken.VALUE_NULL ? null
            : TREES.readTree(p);
        default -> p.skipChildren();
      }
    }
    if (p.nextToken() != null) {
      throw new UndecodableEventException("trailing content after the JSON object");
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
      if (n == scratch.length) {
        scratch = Arrays.copyOf(scratch, n * 2);
      }
      scratch[n++] = number(p, v, "\"x\" must hold only numbers");
    }
    return Arrays.copyOf(scratch, n);
  }

  private static void readFeatures(final JsonParser p, final JsonToken t, final EventFields into)
      throws IOException, UndecodableEventException {
    if (t == JsonToken.VALUE_NULL) {
      return;
    }
    if (t != JsonToken.START_OBJECT) {
      throw new UndecodableEventException("\"features\" must be an object of named values, found "
          + found(t));
    }
    into.hasFeatures = true;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      final String name = p.currentName();
      final JsonToken v = p.nextToken();
      switch (v) {
        case VALUE_NULL -> { }
        case VALUE_TRUE, VALUE_FALSE -> into.features.bool(name, v == JsonToken.VALUE_TRUE);
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> into.features.number(name,
            p.getDoubleValue());
        case VALUE_STRING -> {
          final String text = p.getText();
          switch (text) {
            // as in x: the strings many JSON libraries write for non-finite numbers
            case "NaN" -> into.features.number(name, Double.NaN);
            case "Infinity" -> into.features.number(name, Double.POSITIVE_INFINITY);
            case "-Infinity" -> into.features.number(name, Double.NEGATIVE_INFINITY);
            default -> into.features.category(name, text);
          }
        }
        default -> throw new UndecodableEventException("feature \"" + name + "\" is "
            + found(v) + ": a feature is a number, a boolean, a string or null");
      }
    }
  }

  private static void readLabel(final JsonParser p, final JsonToken t, final EventFields into)
      throws IOException, UndecodableEventException {
    if (t == JsonToken.VALUE_NULL) {
      into.hasLabel = false;
      return;
    }
    into.hasLabel = true;
    if (t == JsonToken.VALUE_STRING && !NON_FINITE.contains(p.getText())) {
      into.label = p.getText();
      return;
    }
    into.d = number(p, t, "\"d\" must be a number or a class name");
  }

  /** The number at {@code t}, or what was found instead in the exception. */
  private static double number(final JsonParser p, final JsonToken t, final String rule)
      throws IOException, UndecodableEventException {
    if (t.isNumeric()) {
      return p.getDoubleValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      final String text = p.getText();
      switch (text) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          throw new UndecodableEventException(rule + ", found the string \""
              + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"");
      }
    }
    throw new UndecodableEventException(rule + ", found " + found(t));
  }

  private static String found(final JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      default -> t.toString();
    };
  }

  /** The key; a null key is there but empty (""), which differs from no key at all (null). */
  private static String readKey(final JsonParser p, final JsonToken t)
      throws IOException, UndecodableEventException {
    if (t == JsonToken.VALUE_NULL) {
      return "";
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new UndecodableEventException("\"key\" must be a string");
    }
    return p.getText();
  }

  /** Reads the model of a set control record, which is a rare event: a tree is fine. */
  private static final ObjectMapper TREES =
      new ObjectMapper();

  /** An operator's action; null is none. */
  private static String readControl(final JsonParser p, final JsonToken t)
      throws IOException, UndecodableEventException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new UndecodableEventException("\"control\" must be a string, found " + found(t));
    }
    return p.getText();
  }

  /** The id; null is no id. Numbers are taken as their text, as ids often are numbers. */
  private static String readId(final JsonParser p, final JsonToken t)
      throws IOException, UndecodableEventException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT) {
      throw new UndecodableEventException("\"id\" must be a string, found " + found(t));
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
