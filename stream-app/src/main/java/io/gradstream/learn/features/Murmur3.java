package io.gradstream.learn.features;

/**
 * MurmurHash3_x86_32 (Austin Appleby's SMHasher) of the UTF-8 bytes of a text that is fed in
 * pieces: a feature's name, '=', its category, '^', the other side of an interaction. The bytes are
 * never built, so a term costs no allocation. A surrogate pair is one code point (4 bytes); a lone
 * surrogate is '?', as {@code String.getBytes(UTF_8)} writes it. One instance per thread: it holds
 * the running state.
 */
public final class Murmur3 {
  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private final int seed;
  private int h;
  private int tail;
  private int tailBytes;
  private int length;
  /** A high surrogate waiting for its low half; 0 when none. */
  private char high;

  public Murmur3(final int seed) {
    this.seed = seed;
  }

  /** Begins a new text. */
  public Murmur3 start() {
    h = seed;
    tail = 0;
    tailBytes = 0;
    length = 0;
    high = 0;
    return this;
  }

  /** Adds the characters of {@code text}. */
  public Murmur3 add(final CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      add(text.charAt(i));
    }
    return this;
  }

  /** Adds one UTF-16 unit; a surrogate pair may come in two calls. */
  public Murmur3 add(final char c) {
    if (high != 0) {
      final char first = high;
      high = 0;
      if (Character.isLowSurrogate(c)) {
        codePoint(Character.toCodePoint(first, c));
        return this;
      }
      addByte('?');
    }
    if (Character.isHighSurrogate(c)) {
      high = c;
    } else if (Character.isLowSurrogate(c)) {
      addByte('?');
    } else {
      codePoint(c);
    }
    return this;
  }

  /** The hash of everything added since {@link #start()}, signed as sklearn returns it. */
  public int finish() {
    if (high != 0) {
      high = 0;
      addByte('?');
    }
    int hash = h;
    if (tailBytes > 0) {
      hash ^= mixK(tail);
    }
    hash ^= length;
    hash ^= hash >>> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >>> 13;
    hash *= 0xc2b2ae35;
    hash ^= hash >>> 16;
    return hash;
  }

  private void codePoint(final int cp) {
    if (cp < 0x80) {
      addByte(cp);
    } else if (cp < 0x800) {
      addByte(0xc0 | cp >>> 6);
      addByte(0x80 | cp & 0x3f);
    } else if (cp < 0x10000) {
      addByte(0xe0 | cp >>> 12);
      addByte(0x80 | cp >>> 6 & 0x3f);
      addByte(0x80 | cp & 0x3f);
    } else {
      addByte(0xf0 | cp >>> 18);
      addByte(0x80 | cp >>> 12 & 0x3f);
      addByte(0x80 | cp >>> 6 & 0x3f);
      addByte(0x80 | cp & 0x3f);
    }
  }

  /** Bytes are taken four at a time, little-endian, as the reference reads a block. */
  private void addByte(final int b) {
    tail |= (b & 0xff) << (tailBytes << 3);
    length++;
    if (++tailBytes == 4) {
      h ^= mixK(tail);
      h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
      tail = 0;
      tailBytes = 0;
    }
  }

  private static int mixK(final int k) {
    return Integer.rotateLeft(k * C1, 15) * C2;
  }
}
