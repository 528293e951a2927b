package io.gradstream.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A CSV event file with every kind of bad row an event file can hold mixed into valid rows, and
 * the same file with the valid rows alone: trained on, both must give the same models bit for bit.
 *
 * @param mixed the file with the bad rows
 * @param validOnly the file without them
 * @param badRows how many rows of {@code mixed} are bad (read or not)
 * @param skippedByFeed how many of them are not events at all (feed skips them; the others it sends
 *     and the service dead-letters)
 */
public record FaultyFile(String mixed, String validOnly, int badRows, int skippedByFeed) {
  public static final int FEATURES = 3;
  private static final String HEADER = "seq,key,x1,x2,x3,d,note\n";

  /** Each bad row, with whether it is an event at all (rows that are events fail on values). */
  private record Fault(String row, boolean event) {}

  private static final List<Fault> FAULTS =
      List.of(
          new Fault("101,k0,1.720287,-0.044867,-2.355396,-0.026997,3.510013,", false), // 8 cells
          new Fault("102,k1,1,2,3", false), // 5 cells
          new Fault("103,k2,1,\"2,3,4,never closed", false), // unclosed quote
          new Fault("104,k0,\"1\"x,2,3,4,", false), // text after a quote
          new Fault("105,,1,2,3,4,", false), // empty key
          new Fault("106,k1,,,,4,", false), // d alone
          new Fault("107,k1,1,two,3,4,", false), // not a number
          new Fault("108,k1,1,,3,4,", false), // empty feature
          new Fault("109,k1,0x1p3,2,3,4,", false), // hex
          new Fault("110,k1,1,2,3,NaN,", true), // non-finite label
          new Fault("111,k1,1,Infinity,3,4,", true), // non-finite x
          new Fault("112,k3,1e400,2,3,4,", true), // overflows to ∞
          new Fault("113,k2,1,,,4,", true)); // one feature

  /** {@code valid} rows over four keys, each fault inserted {@code times} at random places. */
  public static FaultyFile random(final Random random, final int valid, final int times) {
    final String[] rows = new String[valid];
    for (int r = 0; r < valid; r++) {
      rows[r] = r + ",k" + random.nextInt(4) + "," + random.nextGaussian() + ","
          + random.nextGaussian() + "," + random.nextGaussian() + "," + random.nextGaussian()
          + ",\"a note, \"\"quoted\"\"\"";
    }
    final List<List<Fault>> inserted = new ArrayList<>();
    for (int r = 0; r <= valid; r++) {
      inserted.add(new ArrayList<>());
    }
    for (int t = 0; t < times; t++) {
      for (final Fault fault : FAULTS) {
        inserted.get(random.nextInt(valid + 1)).add(fault);
      }
    }
    final StringBuilder mixed = new StringBuilder(HEADER);
    final StringBuilder clean = new StringBuilder(HEADER);
    for (int r = 0; r <= valid; r++) {
      for (final Fault fault : inserted.get(r)) {
        mixed.append(fault.row).append('\n');
      }
      if (r < valid) {
        mixed.append(rows[r]).append('\n');
        clean.append(rows[r]).append('\n');
      }
    }
    final int skipped = (int) FAULTS.stream().filter(f -> !f.event).count() * times;
    return new FaultyFile(mixed.toString(), clean.toString(), FAULTS.size() * times, skipped);
  }
}
