package io.gradstream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The "features" object of a JSON event: what each kind of value becomes, and what is refused. */
class NamedFeaturesDecodingTest {
  private final JsonEventDecoder decoder = new JsonEventDecoder();
  private final EventFields event = new EventFields();

  @Test
  void numbersBooleansAndStringsAreFeaturesAndNullIsNone() throws Exception {
    decoder.decode("{\"key\": \"u7\", \"features\": {\"amount\": 12.5, \"country\": \"DE\", "
        + "\"returning\": true, \"new\": false, \"age\": null, \"n\": 3}, \"d\": 1}", event);
    assertThat(event.hasFeatures).isTrue();
    assertThat(event.x).isNull();
    assertThat(EventKind.of(event)).isEqualTo(EventKind.TRAIN);
    final NamedFeatures f = event.features;
    assertThat(f.size()).isEqualTo(5);
    assertThat(f.name(0)).isEqualTo("amount");
    assertThat(f.kind(0)).isEqualTo(NamedFeatures.Kind.NUMBER);
    assertThat(f.value(0)).isEqualTo(12.5);
    assertThat(f.category(0)).isNull();
    assertThat(f.kind(1)).isEqualTo(NamedFeatures.Kind.CATEGORY);
    assertThat(f.category(1)).isEqualTo("DE");
    assertThat(f.value(1)).isEqualTo(1.0);
    assertThat(f.kind(2)).isEqualTo(NamedFeatures.Kind.BOOLEAN);
    assertThat(f.value(2)).isEqualTo(1.0);
    assertThat(f.value(3)).isZero();
    assertThat(f.name(4)).isEqualTo("n");
    assertThat(f.indexOf("age")).isEqualTo(-1);
    assertThat(f.indexOf("n")).isEqualTo(4);
  }

  @Test
  void withoutALabelItIsAPredictionAndAnEmptyObjectStillCarriesFeatures() throws Exception {
    decoder.decode("{\"features\": {}, \"id\": \"p1\"}", event);
    assertThat(event.hasFeatures).isTrue();
    assertThat(event.features.size()).isZero();
    assertThat(EventKind.of(event)).isEqualTo(EventKind.PREDICT);
    decoder.decode("{\"features\": null, \"d\": 1, \"id\": \"p1\"}", event);
    assertThat(event.hasFeatures).isFalse();
    assertThat(EventKind.of(event)).isEqualTo(EventKind.LABEL);
    decoder.decode("{\"control\": \"reset\", \"features\": {\"a\": 1}}", event);
    assertThat(EventKind.of(event)).isEqualTo(EventKind.INCOMPLETE);
  }

  @Test
  void nonFiniteNumbersAreKeptForTheModelToRefuse() throws Exception {
    decoder.decode("{\"features\": {\"a\": NaN, \"b\": \"Infinity\", \"c\": \"-Infinity\"}, "
        + "\"d\": 1}", event);
    assertThat(event.features.value(0)).isNaN();
    assertThat(event.features.value(1)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(event.features.value(2)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(event.features.kind(1)).isEqualTo(NamedFeatures.Kind.NUMBER);
  }

  @Test
  void nestedValuesAndAnythingButAnObjectAreRefusedWithTheirName() {
    assertThatThrownBy(() -> decoder.decode("{\"features\": {\"geo\": {\"lat\": 1}}}", event))
        .isInstanceOf(UndecodableEventException.class)
        .hasMessage("feature \"geo\" is an object: a feature is a number, a boolean, a string "
            + "or null");
    assertThatThrownBy(() -> decoder.decode("{\"features\": {\"tags\": [1, 2]}}", event))
        .hasMessageStartingWith("feature \"tags\" is an array");
    assertThatThrownBy(() -> decoder.decode("{\"features\": [1, 2]}", event))
        .hasMessage("\"features\" must be an object of named values, found an array");
  }

  @Test
  void theHolderIsReusedWithoutWhatTheLastEventHad() throws Exception {
    for (int n = 0; n < 3; n++) {
      final StringBuilder json = new StringBuilder("{\"features\": {");
      for (int i = 0; i < 20; i++) {
        json.append(i > 0 ? ", " : "").append("\"f").append(i).append("\": \"v").append(n)
            .append('"');
      }
      decoder.decode(json.append("}}").toString(), event);
      assertThat(event.features.size()).isEqualTo(20);
      assertThat(event.features.category(19)).isEqualTo("v" + n);
    }
    decoder.decode("{\"x\": [1], \"d\": 0}", event);
    assertThat(event.hasFeatures).isFalse();
    assertThat(event.features.size()).isZero();
  }

  @Test
  void theEncodersWriteNamedFeaturesAsTheDecodersReadThem()
      throws Exception {
    decoder.decode("{\"features\": {\"amount\": 12.5, \"country\": \"DE\", "
        + "\"returning\": true, \"new\": false, \"odd\": NaN}, \"d\": 1, \"id\": \"e1\"}",
        event);
    final byte[] json = EventEncoder.json().encode(event);
    final EventFields back = new EventFields();
    decoder.decode(json, back);
    assertThat(back.hasFeatures).isTrue();
    assertThat(back.features.size()).isEqualTo(5);
    for (int i = 0; i < 5; i++) {
      assertThat(back.features.name(i)).isEqualTo(event.features.name(i));
      assertThat(back.features.kind(i)).isEqualTo(event.features.kind(i));
      assertThat(back.features.category(i)).isEqualTo(event.features.category(i));
      assertThat(Double.doubleToRawLongBits(back.features.value(i)))
          .isEqualTo(Double.doubleToRawLongBits(event.features.value(i)));
    }
    assertThat(back.d).isEqualTo(1.0);
    assertThat(back.id).isEqualTo("e1");
    final EventFields avro = new EventFields();
    new AvroEventDecoder().decode(EventEncoder.avro().encode(event), avro);
    assertThat(avro.features.size()).isEqualTo(5);
    assertThat(avro.features.category(1)).isEqualTo("DE");
    assertThat(avro.features.kind(2)).isEqualTo(NamedFeatures.Kind.BOOLEAN);
    assertThat(avro.features.value(4)).isNaN();
  }
}
