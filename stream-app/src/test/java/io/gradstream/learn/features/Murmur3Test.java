package io.gradstream.learn.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming hash against scikit-learn's {@code murmurhash3_32} (hashing-sklearn.json, written
 * by src/test/python/hashing_reference.py) and against a plain byte-array MurmurHash3_x86_32
 * written here from the reference, over the bytes {@code String.getBytes(UTF_8)} gives.
 */
class Murmur3Test {
  static JsonNode reference() throws IOException {
    try (InputStream in = Murmur3Test.class.getResourceAsStream("/hashing-sklearn.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  /** MurmurHash3_x86_32 over bytes, as smhasher's MurmurHash3.cpp writes it. */
  static int bytesHash(final byte[] data, final int seed) {
    int h1 = seed;
    final int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int k1 = (data[4 * i] & 0xff) | (data[4 * i + 1] & 0xff) << 8
          | (data[4 * i + 2] & 0xff) << 16 | (data[4 * i + 3] & 0xff) << 24;
      k1 *= 0xcc9e2d51;
      k1 = Integer.rotateLeft(k1, 15);
      k1 *= 0x1b873593;
      h1 ^= k1;
      h1 = Integer.rotateLeft(h1, 13);
      h1 = h1 * 5 + 0xe6546b64;
    }
    int k1 = 0;
    final int tail = 4 * blocks;
    switch (data.length & 3) {
      case 3:
        k1 ^= (data[tail + 2] & 0xff) << 16;
        // fall through
      case 2:
        k1 ^= (data[tail + 1] & 0xff) << 8;
        // fall through
      case 1:
        k1 ^= data[tail] & 0xff;
        k1 *= 0xcc9e2d51;
        k1 = Integer.rotateLeft(k1, 15);
        k1 *= 0x1b873593;
        h1 ^= k1;
        break;
      default:
        break;
    }
    h1 ^= data.length;
    h1 ^= h1 >>> 16;
    h1 *= 0x85ebca6b;
    h1 ^= h1 >>> 13;
    h1 *= 0xc2b2ae35;
    h1 ^= h1 >>> 16;
    return h1;
  }

  @Test
  void equalsScikitLearnsMurmurhash3OnEveryReferenceText() throws IOException {
    int checked = 0;
    for (final JsonNode c : reference().get("hashes")) {
      final String text = c.get("text").textValue();
      final int seed = (int) c.get("seed").longValue();
      final int expected = c.get("hash").intValue();
      assertThat(new Murmur3(seed).start().add(text).finish()).as("%s seed %d", text, seed)
          .isEqualTo(expected);
      assertThat(bytesHash(text.getBytes(StandardCharsets.UTF_8), seed)).isEqualTo(expected);
      checked++;
    }
    assertThat(checked).isEqualTo(48);
  }

  @Test
  void aTextFedInPiecesHashesAsTheWholeText() {
    final String text = "country=Zürich^device=ios \uD83D\uDE00 東京";
    final int whole = new Murmur3(0).start().add(text).finish();
    final Murmur3 pieces = new Murmur3(0);
    for (int cut = 0; cut <= text.length(); cut++) {
      pieces.start().add(text.subSequence(0, cut)).add(text.subSequence(cut, text.length()));
      assertThat(pieces.finish()).as("cut at %d", cut).isEqualTo(whole);
    }
    assertThat(new Murmur3(0).start().add("country").add('=').add("DE").finish())
        .isEqualTo(bytesHash("country=DE".getBytes(StandardCharsets.UTF_8), 0));
  }

  @Test
  void anyTextHashesItsUtf8BytesLoneSurrogatesIncluded() {
    final Random random = new Random(11);
    final char[] alphabet = {'a', 'Z', '=', '^', ' ', 'é', 'ß', '€', '東', '\uD83D', '\uDE00',
        '\uDBFF', '\uDFFF', '\u007F', '\u0080', '\u07FF', '\u0800', '\uFFFF'};
    final Murmur3 murmur = new Murmur3(0x9747b28c);
    for (int n = 0; n < 2000; n++) {
      final StringBuilder s = new StringBuilder();
      for (int i = random.nextInt(12); i > 0; i--) {
        s.append(alphabet[random.nextInt(alphabet.length)]);
      }
      final String text = s.toString();
      assertThat(murmur.start().add(text).finish()).as(text)
          .isEqualTo(bytesHash(text.getBytes(StandardCharsets.UTF_8), 0x9747b28c));
    }
  }

  @Test
  void surrogatePairsAtEveryBoundaryAndLoneHalvesAtTheEnd() {
    final Murmur3 murmur = new Murmur3(0);
    for (final String text : new String[] {"\uD800\uDC00", "\uDBFF\uDFFF", "\u007F\u0080",
        "\u07FF\u0800", "\uFFFF", "a\uD83D", "\uDE00b", "\uD83D\uD83D\uDE00"}) {
      assertThat(murmur.start().add(text).finish()).as(text)
          .isEqualTo(bytesHash(text.getBytes(StandardCharsets.UTF_8), 0));
    }
    // one unit at a time, chained: a pair split over two calls is one code point
    assertThat(murmur.start().add('\uD83D').add('\uDE00').add('=').add("x").finish())
        .isEqualTo(bytesHash("\uD83D\uDE00=x".getBytes(StandardCharsets.UTF_8), 0));
  }
}
