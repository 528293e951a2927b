package io.gradstream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFileReaderTest {
  /** What the reader reported, one line per row: "line: key d x..." or "line: BAD reason". */
  private static List<String> read(final String file) throws IOException {
    final List<String> seen = new ArrayList<>();
    new EventFileReader().read(new StringReader(file), new EventRowHandler() {
      @Override
      public void onEvent(final long line, final String key, final EventFields e) {
        final StringBuilder s = new StringBuilder(line + ": " + key + " " + e.d);
        for (final double x : e.x) {
          s.append(' ').append(x);
        }
        seen.add(s.toString());
      }

      @Override
      public void onBadRow(final long line, final String reason, final String detail) {
        seen.add(line + ": BAD " + reason);
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
            "3: BAD missing-label",
            "4: BAD undecodable",
            "5: a 1.0 1.0",         // fewer features: the learner refuses it with its reason
            "6: BAD undecodable",
            "7: BAD undecodable",
            "8: BAD undecodable",
            "10: a NaN 1.0 2.0",    // read; refused later as non-finite
            "11: default 1.0 1.0 2.0");
  }

  @Test
  void quotedMultiLineCellsKeepLineNumbersRight() throws IOException {
    assertThat(read("key,d,x,comment\na,1,2,\"two\nlines\"\nb,x,2,\n"))
        .containsExactly("2: a 1.0 2.0", "4: BAD undecodable");
  }

  @Test
  void csvWithoutLabelOrFeatureColumnsIsRefusedAsAWhole() {
    assertThatThrownBy(() -> read("key,x\na,1\n")).hasMessageContaining("label column 'd'");
    assertThatThrownBy(() -> read("key,d,y\na,1,2\n")).hasMessageContaining("'x' or 'x1'");
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
            "4: BAD missing-label",
            "5: BAD missing-label",
            "6: BAD undecodable",
            "7: BAD undecodable",
            "8: BAD undecodable",
            "9: BAD undecodable",
            "10: BAD undecodable",
            "11: BAD undecodable",
            "12: k -Infinity NaN Infinity");
  }

  @Test
  void aByteOrderMarkAndLeadingBlankLinesAreTolerated() throws IOException {
    assertThat(read("\uFEFFd,x\n1,2\n")).containsExactly("2: default 1.0 2.0");
    assertThat(read("\n\n{\"x\": [1], \"d\": 2}\n")).containsExactly("3: default 2.0 1.0");
    assertThat(read("")).isEmpty();
  }
}
