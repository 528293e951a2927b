package io.gradstream.cli;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What feed tells the user while it runs: a progress bar redrawn in place on a terminal, a plain
 * line every few seconds otherwise (logs, pipes), each skipped row with its line number, and a
 * summary at the end.
 */
final class FeedProgress {
  private static final long TERMINAL_EVERY_NANOS = 200_000_000L;
  private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;
  private static final int BAR_WIDTH = 30;

  /** The rate and the time left are of the last few seconds: steady, yet quick to follow. */
  private static final long WINDOW_NANOS = 3_000_000_000L;

  private final PrintWriter err;
  private final boolean terminal;
  private final long size;
  private final LongSupplier consumed;
  private final long start;
  private long lastDraw;
  /** (time, events sent, bytes consumed) at the draws of the last few seconds, oldest first. */
  private final ArrayDeque<long[]> window = new ArrayDeque<>();
  private long sent;
  private long skipped;
  private boolean barDrawn;

  /**
   * @param size the file's size in bytes, -1 when unknown (stdin)
   * @param consumed how many bytes of it the rows read so far took
   */
  FeedProgress(final PrintWriter err, final boolean terminal, final long size,
      final LongSupplier consumed, final long nowNanos) {
    this.err = err;
    this.terminal = terminal;
    this.size = size;
    this.consumed = consumed;
    this.start = nowNanos;
    this.lastDraw = nowNanos;
    window.add(new long[] {nowNanos, 0, 0});
  }

  void sent(final long total) {
    sent(total, System.nanoTime());
  }

  void sent(final long total, final long now) {
    sent = total;
    if (now - lastDraw >= (terminal ? TERMINAL_EVERY_NANOS : PLAIN_EVERY_NANOS)) {
      draw(now);
    }
  }

  void skipped(final long line, final String reason, final String detail) {
    skipped++;
    clearBar();
    err.println("line " + line + ": skipped, " + reason + (detail == null ? "" : ": " + detail));
  }

  void finish(final long acknowledged, final String topic) {
    clearBar();
    final double seconds = (System.nanoTime() - start) / 1e9;
    if (sent == 0 && skipped == 0) {
      err.println("feed: the input holds no events (it is empty or only a header); sent nothing");
      err.flush();
      return;
    }
    err.printf(Locale.ROOT, "feed: sent %s to %s in %.1f s (%.0f/s); skipped %s%n",
        Counted.of(acknowledged, "event"), topic, seconds,
        acknowledged / Math.max(seconds, 1e-9), Counted.of(skipped, "row"));
    err.flush();
  }

  private void draw(final long now) {
    final long read = consumed.getAsLong();
    while (window.size() > 1 && now - window.peekFirst()[0] > WINDOW_NANOS) {
      window.removeFirst();
    }
    final long[] then = window.peekFirst();
    final double seconds = Math.max((now - then[0]) / 1e9, 1e-9);
    final double rate = (sent - then[1]) / seconds;
    final double bytesPerSecond = (read - then[2]) / seconds;
    window.addLast(new long[] {now, sent, read});
    lastDraw = now;
    final String eta = size > 0 && bytesPerSecond > 0
        ? ", ETA " + duration(Math.max(0, size - read) / bytesPerSecond) : "";
    final String counts = String.format(Locale.ROOT, "%s sent, %s skipped, %.0f events/s%s",
        Counted.of(sent, "event"), Counted.of(skipped, "row"), rate, eta);
    if (!terminal) {
      err.println("feed: " + counts);
      return;
    }
    final StringBuilder line = new StringBuilder("\r");
    if (size > 0) {
      final double done = Math.min(1.0, (double) read / size);
      final int filled = (int) (done * BAR_WIDTH);
      line.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled))
          .append(String.format(Locale.ROOT, "] %3.0f%% ", done * 100));
    }
    err.print(line.append(counts).append("   "));
    err.flush();
    barDrawn = true;
  }

  /** 42 s, 3 min 5 s, 2 h 4 min. */
  static String duration(final double seconds) {
    final long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min " + s % 60 + " s";
    }
    return s / 3600 + " h " + s % 3600 / 60 + " min";
  }

  private void clearBar() {
    if (barDrawn) {
      err.print("\r" + " ".repeat(BAR_WIDTH + 60) + "\r");
      barDrawn = false;
    }
  }
}
