package io.gradstream.cli;

/** A count and its noun for a person: {@code 1 model}, {@code 2 models}. */
final class Counted {
  private Counted() {}

  static String of(final long count, final String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
