package io.gradstream.config;

import java.util.Collection;

/** The closest known name to a misspelt one, for "did you mean" in a refusal. */
public final class DidYouMean {
  /** Farther than this many edits, a name is not taken for a misspelling of another. */
  private static final int MAX_EDITS = 3;

  private DidYouMean() {}

  /** "; did you mean X?" for the closest of {@code known} to {@code given}, or "" if none is. */
  public static String suggestion(final String given, final Collection<String> known) {
    final String best = closest(given, known);
    return best == null ? "" : "; did you mean " + best + "?";
  }

  /** The closest of {@code known} to {@code given} within a few edits, or null. */
  public static String closest(final String given, final Collection<String> known) {
    String best = null;
    int bestDistance = MAX_EDITS + 1;
    for (final String candidate : known) {
      final int distance = editDistance(given, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** Levenshtein distance: insertions, deletions and substitutions of one character. */
  static int editDistance(final String a, final String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      final int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
