package io.gradstream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A CSV file's columns as named features, for a hashed model. */
class NamedCsvTest {
  private static CsvExpectations named(final String... categorical) {
    return new CsvExpectations("d", false, 0, true, Set.of(categorical), false);
  }

  private static List<String> read(final String file, final CsvExpectations expected)
      throws IOException {
    return EventFileReaderTest.read(file, expected);
  }

  @Test
  void everyOtherColumnIsAFeatureANumberWhereItIsOneElseACategory() throws IOException {
    assertThat(read("""
        key,amount,country,zip,d,id,note
        u1,12.5,DE,10115,1,,
        u2,,FR,75001,0,e2,returning
        u1,3e2,NaN,,,p3,
        u3,,,,1,p3,
        """, named("zip"))).containsExactly(
            "2: u1 1.0 amount=12.5(N) country=DE(C) zip=10115(C)",
            "3: u2 0.0 country=FR(C) zip=75001(C) note=returning(C) id=e2",
            "4: u1 - amount=300.0(N) country=NaN(N) id=p3",
            "5: u3 1.0 no-x id=p3");
    // without --categorical a zip code is a number; hex and Java's suffixes are categories
    assertThat(read("d,zip,code\n1,10115,0x1F\n1,07,2d\n", named())).containsExactly(
        "2: default 1.0 zip=10115.0(N) code=0x1F(C)",
        "3: default 1.0 zip=7.0(N) code=2d(C)");
  }

  @Test
  void aHeaderThatCannotBeReadAsNamedFeaturesIsRefusedInOneLine() {
    assertThatThrownBy(() -> read("d,a,a\n1,2,3\n", named()))
        .isInstanceOf(EventFileException.class)
        .hasMessage("the CSV header names 'a' twice (columns 2 and 3)");
    assertThatThrownBy(() -> read("d,a\n1,2\n", named("zip")))
        .hasMessage("--categorical names 'zip', which is not a feature column of the CSV header "
            + "(its columns: d, a)");
    assertThatThrownBy(() -> read("d,a\n1,2\n", named("d")))
        .hasMessageStartingWith("--categorical names 'd', which is not a feature column");
    assertThatThrownBy(() -> read("key,a\nk,2\n", named()))
        .hasMessageStartingWith("the CSV header has no label column 'd' (its columns: key, a)");
    assertThatThrownBy(() -> read("key,id\nk,2\n", named()))
        .hasMessage("the CSV header has neither a label column 'd' nor feature columns (its "
            + "columns: key, id)");
    assertThatThrownBy(() -> new CsvExpectations("d", false, 0, false, Set.of("zip"), false))
        .hasMessage("categorical zip needs named features (--hash-bits)");
  }
}
