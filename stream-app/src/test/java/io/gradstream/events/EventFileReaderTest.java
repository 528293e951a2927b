package io.gradstream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventFileReaderTest {
  /**
   * What the reader reported, one line per row: "line: key d x... [id=..] [t=..]" (d "-" when
   * absent, x "no-x"), or "line: BAD reason".
   */
  private static List<String> read(final String file) throws IOException {
    return read(file, CsvExpectations.labelled(0));
  }

  /**
   * As {@link #read(String)} with {@code expected}; named features as " name=value(kind)", the
   * kind's first letter.
   */
  static List<String> read(final String file, final CsvExpectations expected)
      throws IOException {
    final List<String> seen = new ArrayList<>();
    new EventFileReader(new StringReader(file), expected).read(new EventRowHandler() {
      @Override
      public void onEvent(final long line, final String key, final EventFields e) {
        final StringBuilder s = new StringBuilder(line + ": " + key + " "
            + (e.label != null ? "'" + e.label + "'" : e.hasLabel ? Double.toString(e.d) : "-"));
        if (e.hasFeatures) {
          for (int i = 0; i < e.features.size(); i++) {
            s.append(' ').append(e.features.name(i)).append('=')
                .append(e.features.kind(i) == NamedFeatures.Kind.CATEGORY
                    ? e.features.category(i) : Double.toString(e.features.value(i)))
                .append('(').append(e.features.kind(i).name().charAt(0)).append(')');
          }
        } else if (e.x == null) {
          s.append(" no-x");
        } else {
          for (final double x : e.x) {
            s.append(' ').append(x);
          }
        }
        if (e.id != null) {
          s.append(" id=").append(e.id);
        }
        if (e.eventTime != EventFields.NO_TIME) {
          s.append(" t=").append(e.eventTime);
        }
        seen.add(s.toString());
      }

      @Override
      public void onBadRow(final long line, final String reason, final String detail) {
        seen.add(line + ": BAD " + reason + (detail == null ? "" : " (" + detail + ")"));
      }
    });
    return seen;
  }

  @Test
  void csvWithKeyLabelAndNumberedFeaturesInAnyColumnOrder() throws IOException {
    assertThat(read("""
        x2,note,key,d,x1
        2.5,hello,sensor-7,0.3,0.5
        -1,,a,1e-3,4
        """)).containsExactly(
            "2: sensor-7 0.3 0.5 2.5",
            "3: a 0.001 4.0 -1.0");
  }

  @Test
  void csvWithOneFeatureNamedXAndNoKeyColumnUsesTheDefaultKey() throws IOException {
    assertThat(read("d,x\n1,2\n0,3\n")).containsExactly("2: default 1.0 2.0", "3: default 0.0 3.0");
  }

  @Test
  void badCsvRowsAreReportedByLineAndTheRestIsRead() throws IOException {
    assertThat(read("""
        key,d,x1,x2
        a,1,1,2
        a,,1,2
        a,1,one,2
        a,1,1,
        a,1,,2
        a,0x10,1,2
        a,1,1,2d

        a,NaN,1,2
        ,1,1,2
        """)).containsExactly(
            "2: a 1.0 1.0 2.0",
            "3: a - 1.0 2.0",       // no label: a prediction
            "4: BAD undecodable (feature 1 is not a number: 'one')",
            "5: a 1.0 1.0",         // fewer features: the learner refuses it with its reason
            "6: BAD undecodable (feature 1 is not a number: '')",
            "7: BAD undecodable (label d is not a number: '0x10')",
            "8: BAD undecodable (feature 2 is not a number: '2d')",
            "10: a NaN 1.0 2.0",    // read; refused later as non-finite
            "11: BAD missing-key (the key is empty)");
  }

  @Test
  void quotedMultiLineCellsKeepLineNumbersRight() throws IOException {
    assertThat(read("key,d,x,comment\na,1,2,\"two\nlines\"\nb,x,2,\n"))
        .containsExactly("2: a 1.0 2.0", "4: BAD undecodable (label d is not a number: 'x')");
  }

  @Test
  void aRowWhoseCellsDoNotLineUpWithTheHeaderIsBadAndNeverReadOnAGuess() throws IOException {
    assertThat(read("""
        seq,key,x1,x2,x3,d
        100,k0,1,2,3,4
        101,k0,1.720287,-0.044867,-2.355396,-0.026997,3.510013
        102,k0,1,2,3
        103,k0,1,2,3,5
        """)).containsExactly(
            "2: k0 4.0 1.0 2.0 3.0",
            "3: BAD undecodable (7 cells, the header (line 1) has 6)",
            "4: BAD undecodable (5 cells, the header (line 1) has 6)",
            "5: k0 5.0 1.0 2.0 3.0");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "key,y                | the CSV header has neither a label column 'd' nor feature columns",
      "key,id,eventTime     | the CSV header has neither a label column 'd' nor feature columns",
      "d,x,id,id            | the CSV header names 'id' twice (columns 3 and 4)",
      "d,x1,x3              | the CSV header names x3 but not x2",
      "d,x2                 | the CSV header names x2 but not x1",
      "d,x1,x1              | the CSV header names 'x1' twice (columns 2 and 3)",
      "d,x,d                | the CSV header names 'd' twice (columns 1 and 3)",
      "key,d,x,key          | the CSV header names 'key' twice (columns 1 and 4)",
      "d,x,x1               | the CSV header names both 'x' and 'x1'",
      "d,x0                 | the CSV header has a feature column 'x0'",
      "d,x01                | the CSV header has a feature column 'x01'",
      "'d,\"x'             | the CSV header on line 1: the quote opened in column 3 of line 1 "
          + "is never closed",
  })
  void aHeaderThatDoesNotSayWhichCellIsWhichIsRefusedAsAWhole(final String header,
      final String message) {
    assertThatThrownBy(() -> read(header.replace("\\\"", "\"") + "\n1,2,3\n"))
        .isInstanceOf(EventFileException.class).hasMessageContaining(message);
  }

  /** A file that would train nothing, or fail on every row, is refused before any row is read. */
  @Test
  void theLabelColumnAndTheFeaturesAreCheckedAgainstWhatTheCommandExpects() throws IOException {
    assertThatThrownBy(() -> read("key,label,x1,x2\na,1,2,3\n"))
        .isInstanceOf(EventFileException.class)
        .hasMessage("the CSV header has no label column 'd' (its columns: key, label, x1, x2): "
            + "name the label's column with --label-column, or give --predict-only if the file "
            + "holds no labels");
    assertThat(read("key,label,x1,x2\na,1,2,3\nb,,4,5\n",
        new CsvExpectations("label", false, 2)))
        .containsExactly("2: a 1.0 2.0 3.0", "3: b - 4.0 5.0");
    // with another label column, a column named d is just another column
    assertThat(read("d,label,x\n7,1,2\n", new CsvExpectations("label", false, 1)))
        .containsExactly("2: default 1.0 2.0");
    assertThat(read("key,x1,x2\na,2,3\n", new CsvExpectations("d", true, 2)))
        .containsExactly("2: a - 2.0 3.0");
    assertThatThrownBy(() -> read("d,x\n1,2\n", new CsvExpectations("d", true, 0)))
        .hasMessage("the CSV header has a label column 'd', but --predict-only says the file "
            + "holds no labels: leave out one or the other");
    assertThatThrownBy(() -> read("key,d,x1,x2\na,1,2,3\n", CsvExpectations.labelled(3)))
        .hasMessage("the CSV header has 2 feature columns (x1, x2) but --features is 3");
    // more columns than features: rows whose last cells are empty fit
    assertThat(read("d,x1,x2,x3\n1,2,3,\n", CsvExpectations.labelled(2)))
        .containsExactly("2: default 1.0 2.0 3.0");
    assertThatThrownBy(() -> read("d,x\n1,2\n", CsvExpectations.labelled(2)))
        .hasMessage("the CSV header has 1 feature column (x) but --features is 2");
    // labels only (no feature columns) fit any model
    assertThat(read("key,id,d\na,r1,1\n", CsvExpectations.labelled(3)))
        .containsExactly("2: a 1.0 no-x id=r1");
    assertThat(read("label,x\nnot-a-number,2\n", new CsvExpectations("label", false, 1)))
        .containsExactly("2: BAD undecodable (label label is not a number: 'not-a-number')");
  }

  @Test
  void aJsonArrayIsNotJsonLines() {
    assertThatThrownBy(() -> read("[{\"x\": [1], \"d\": 2}]\n"))
        .isInstanceOf(EventFileException.class)
        .hasMessage("expected JSON Lines (one object per line) or CSV with a header, found a "
            + "JSON array");
  }

  @Test
  void anUnclosedQuoteIsOneBadRowAndReadingGoesOnWithTheNextLine() throws IOException {
    assertThat(read("""
        key,d,x,note
        a,1,2,"fine"
        a,1,3,"never closed
        a,1,4,
        a,1,5,"two
        lines"
        a,1,6,"closed" but more
        a,1,7,"last one open
        a,1,8,
        """)).containsExactly(
            "2: a 1.0 2.0",
            "3: BAD undecodable (the quote opened in column 7 of line 3 closes on line 5 with text "
                + "after it)",
            "4: a 1.0 4.0",
            "5: a 1.0 5.0",
            "7: BAD undecodable (text after the closing quote of cell 4)",
            "8: BAD undecodable (the quote opened in column 7 of line 8 is never closed)",
            "9: a 1.0 8.0");
  }

  @Test
  void quotedCellsKeepCommasAndQuotesAndSpacesAroundCellsAreDropped() throws IOException {
    assertThat(read("key,d,x\n\"a,\"\"b\"\"\" , 1 ,\t2\n")).containsExactly("2: a,\"b\" 1.0 2.0");
  }

  @Test
  void theKeyRuleIsTheSameForBothFormats() throws IOException {
    // no key at all: the model "default"; a key that is there but empty: missing-key, as in Kafka
    assertThat(read("d,x\n1,2\n")).containsExactly("2: default 1.0 2.0");
    assertThat(read("key,d,x\n,1,2\n\"\",1,2\n")).containsExactly(
        "2: BAD missing-key (the key is empty)", "3: BAD missing-key (the key is empty)");
    assertThat(read("""
        {"x": [2], "d": 1}
        {"key": "", "x": [2], "d": 1}
        {"key": null, "x": [2], "d": 1}
        """)).containsExactly("1: default 1.0 2.0",
            "2: BAD missing-key (the key is empty)", "3: BAD missing-key (the key is empty)");
  }

  @Test
  void jsonNamesWhatItFoundWhereANumberBelongs() throws IOException {
    assertThat(read("""
        {"x": [1, "abc"], "d": 1}
        {"x": [1, null], "d": 1}
        {"x": [1, {}], "d": 1}
        {"x": [1], "d": true}
        {"x": ["NaN", "-Infinity"], "d": "Infinity"}
        """)).containsExactly(
            "1: BAD undecodable (\"x\" must hold only numbers, found the string \"abc\")",
            "2: BAD undecodable (\"x\" must hold only numbers, found null)",
            "3: BAD undecodable (\"x\" must hold only numbers, found an object)",
            "4: BAD undecodable (\"d\" must be a number or a class name, found a boolean)",
            "5: default Infinity NaN -Infinity");
  }

  @Test
  void predictionsAndLabelsWithIdsAndEventTimesInCsv() throws IOException {
    assertThat(read("""
        key,id,eventTime,d,x1,x2
        a,p1,1000,,1,2
        a,p1,5000,0.5,,
        a,,,,3,4
        a,t,7,1,3,4
        a,,9,1,,
        a,,,,,
        a,p2,soon,1,,
        """)).containsExactly(
            "2: a - 1.0 2.0 id=p1 t=1000",
            "3: a 0.5 no-x id=p1 t=5000",
            "4: a - 3.0 4.0",
            "5: a 1.0 3.0 4.0 id=t t=7",
            "6: BAD incomplete-event (the event has d but no x, and no id of a prediction it "
                + "labels)",
            "7: BAD incomplete-event (the event has neither x nor d)",
            "8: BAD undecodable (eventTime is not milliseconds since the epoch: 'soon')");
    assertThat(read("d\n0.5\n")).containsExactly(
        "2: BAD incomplete-event (the event has d but no x, and no id of a prediction it labels)");
  }

  @Test
  void predictionsAndLabelsInJsonLines() throws IOException {
    assertThat(read("""
        {"key": "a", "x": [1, 2], "id": "p1", "eventTime": 1000}
        {"key": "a", "x": null, "d": 0.5, "id": "p1"}
        {"key": "a", "d": 0.5, "id": 17}
        {"key": "a", "d": 0.5, "id": null}
        {"key": "a", "x": [1], "id": true}
        {"key": "a"}
        """)).containsExactly(
            "1: a - 1.0 2.0 id=p1 t=1000",
            "2: a 0.5 no-x id=p1",
            "3: a 0.5 no-x id=17",
            "4: BAD incomplete-event (the event has d but no x, and no id of a prediction it "
                + "labels)",
            "5: BAD undecodable (\"id\" must be a string, found a boolean)",
            "6: BAD incomplete-event (the event has neither x nor d)");
  }

  @Test
  void jsonLines() throws IOException {
    assertThat(read("""
        {"key": "sensor-7", "x": [0.5, 1.25], "d": 0.3}
        {"x": [1], "d": 2, "extra": [1, {"a": null}]}

        {"key": "k", "x": [1], "d": null}
        {"key": "k", "x": [1]}
        {"key": "k", "x": [1], "d": "1"}
        {"key": "k", "x": [1, true], "d": 1}
        {"key": 7, "x": [1], "d": 1}
        {"key": "k", "d": 1}
        {"key": "k", "x": [1], "d": 1} trailing
        ["not", "an", "object"]
        {"key": "k", "x": [NaN, Infinity], "d": -Infinity}
        """)).containsExactly(
            "1: sensor-7 0.3 0.5 1.25",
            "2: default 2.0 1.0",
            "4: k - 1.0",
            "5: k - 1.0",
            "6: k '1' 1.0",
            "7: BAD undecodable (\"x\" must hold only numbers, found a boolean)",
            "8: BAD undecodable (\"key\" must be a string)",
            "9: BAD incomplete-event (the event has d but no x, and no id of a prediction it "
                + "labels)",
            "10: BAD undecodable (not a JSON event: Unrecognized token 'trailing': was expecting "
                + "(JSON String, Number (or 'NaN'/'+INF'/'-INF'), Array, Object or token 'null', "
                + "'true' or 'false'))",
            "11: BAD undecodable (expected a JSON object)",
            "12: k -Infinity NaN Infinity");
  }

  @Test
  void aByteOrderMarkAndLeadingBlankLinesAreTolerated() throws IOException {
    assertThat(read("\uFEFFd,x\n1,2\n")).containsExactly("2: default 1.0 2.0");
    assertThat(read("\n\n{\"x\": [1], \"d\": 2}\n")).containsExactly("3: default 2.0 1.0");
    assertThat(read("")).isEmpty();
  }
}
