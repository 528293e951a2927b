package io.gradstream.learn.race;

import java.util.Arrays;

/**
 * One key's race: each variant's weighted prequential loss (NaN until it steps), how many of the
 * key's events trained a variant, and the champion those decided (-1 before the first).
 */
public final class KeyRace {
  private final double[] m;
  private long events;
  private int champion = -1;
  private int previous = -1;

  public KeyRace(final int variants) {
    m = new double[variants];
    Arrays.fill(m, Double.NaN);
  }

  /** A race as it was stored: its weighted losses, events and champion. */
  public static KeyRace restore(final double[] m, final long events, final int champion) {
    if (champion < -1 || champion >= m.length || events < 0) {
      throw new IllegalArgumentException("a race of " + m.length + " variants cannot have "
          + "champion " + champion + " after " + events + " events");
    }
    final KeyRace race = new KeyRace(m.length);
    System.arraycopy(m, 0, race.m, 0, m.length);
    race.events = events;
    race.champion = champion;
    race.previous = champion;
    return race;
  }

  /** Variant {@code v} stepped with loss L in the key's current event. */
  public void stepped(final int v, final double loss, final RaceRule rule) {
    m[v] = rule.next(m[v], loss);
  }

  /**
   * The key's event that stepped one variant or more is over: counts it and names the champion.
   *
   * @return whether the champion changed (a key's first event always names one)
   */
  public boolean decide(final RaceRule rule) {
    events++;
    previous = champion;
    champion = rule.champion(m, events);
    return champion != previous;
  }

  /** The champion, -1 before the key's first training event. */
  public int champion() {
    return champion;
  }

  /** Who serves predictions: the champion, or the first listed before there is one. */
  public int serving() {
    return Math.max(champion, 0);
  }

  /** The champion before the last decision: -1 when that named the first. */
  public int previous() {
    return previous;
  }

  public long events() {
    return events;
  }

  /** Variant {@code v}'s weighted loss, NaN before its first step. */
  public double lossEwma(final int v) {
    return m[v];
  }

  public int variants() {
    return m.length;
  }
}
