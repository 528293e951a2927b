package io.gradstream.learn.evaluate;

/**
 * The last W samples (ŷ, d) of one sample stream, as a ring of segments of {@link #SEGMENT}
 * samples. Appending writes only the head, the segment being filled; a full head becomes the
 * segment of its number modulo the ring's slots. There is one slot more than W needs, so that the
 * segment being filled never holds a sample the window still reads. A store can therefore keep
 * each full segment as one entry, written once, and the model only the head: a step costs two
 * doubles, whatever W.
 *
 * <p>Samples are numbered from 0 for as long as the model lives; a restart (after a drift) only
 * moves the window's first sample to the next one, so a segment is known by its number.
 */
public final class SampleWindow {
  /** Samples per segment. */
  public static final int SEGMENT = 16;
  /** An array's header on the heap, in bytes. */
  static final int ARRAY_HEADER = 16;
  /** The object itself: its header, sizes, numbers and three references. */
  private static final int OBJECT_BYTES = 48;

  private final int size;
  private final int slots;
  /** The number of the next sample. */
  private long next;
  /** The first sample of the window since its last restart. */
  private long start;
  /** The samples of the segment being filled, ŷ and d in turn; made at the first sample. */
  private double[] head;
  /**
   * The full segments by slot, ŷ and d in turn, null where none is held; the ring itself is made
   * when it first holds one and dropped when it has handed them all to a store, so that a model
   * written out keeps only its head in memory.
   */
  private double[][] segments;
  /** The number of the segment in each slot. */
  private long[] numbers;

  /** @param size W, at least 1 */
  public SampleWindow(final int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a window holds at least 1 sample, got " + size);
    }
    this.size = size;
    this.slots = slots(size);
  }

  /** How many segments a window of {@code size} samples keeps: enough, and one being filled. */
  public static int slots(final int size) {
    return (size + SEGMENT - 1) / SEGMENT + 1;
  }

  public void add(final double y, final double d) {
    if (head == null) {
      head = new double[2 * SEGMENT];
    }
    final int at = 2 * (int) (next % SEGMENT);
    head[at] = y;
    head[at + 1] = d;
    next++;
    if (next % SEGMENT == 0) {
      final long number = next / SEGMENT - 1;
      final int slot = (int) (number % slots);
      holding();
      if (segments[slot] == null) {
        segments[slot] = new double[2 * SEGMENT];
      }
      System.arraycopy(head, 0, segments[slot], 0, head.length);
      numbers[slot] = number;
    }
  }

  private void holding() {
    if (segments == null) {
      segments = new double[slots][];
      numbers = new long[slots];
    }
  }

  /** Whether it holds the full segment {@code number}. */
  private boolean holds(final long number) {
    final int slot = (int) (number % slots);
    return segments != null && segments[slot] != null && numbers[slot] == number;
  }

  /** The window starts again from the next sample. */
  public void restart() {
    start = next;
  }

  /** W. */
  public int size() {
    return size;
  }

  /** How many samples the window holds now. */
  public int count() {
    return (int) (next - first());
  }

  private long first() {
    return Math.max(start, next - size);
  }

  /**
   * Copies the window's samples, oldest first, into {@code y} and {@code d} (each at least
   * {@link #count()} long).
   */
  public void samples(final double[] y, final double[] d) {
    final long headFrom = next - next % SEGMENT;
    int i = 0;
    for (long sample = first(); sample < next; sample++, i++) {
      final double[] in;
      if (sample >= headFrom) {
        in = head;
      } else {
        final long number = sample / SEGMENT;
        if (!holds(number)) {
          throw new IllegalStateException("segment " + number + " of the window is not held");
        }
        in = segments[(int) (number % slots)];
      }
      final int at = 2 * (int) (sample % SEGMENT);
      y[i] = in[at];
      d[i] = in[at + 1];
    }
  }

  /** The metrics of the samples in the window; null when a segment it needs is not held. */
  public Metrics metrics(final EvaluationKind kind) {
    if (!held()) {
      return null;
    }
    final int n = count();
    final double[] y = new double[n];
    final double[] d = new double[n];
    samples(y, d);
    return WindowMetrics.of(kind, y, d, n);
  }

  /** Whether every full segment the window reads is held. */
  private boolean held() {
    final long headFrom = next - next % SEGMENT;
    for (long number = first() / SEGMENT; number * SEGMENT < headFrom; number++) {
      if (!holds(number)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads from {@code source} each full segment the window reads and does not hold. False when
   * one is not there or holds another number (the store is ahead of or behind this window).
   */
  boolean fill(final int stream, final Segments source) {
    final long headFrom = next - next % SEGMENT;
    for (long number = first() / SEGMENT; number * SEGMENT < headFrom; number++) {
      if (holds(number)) {
        continue;
      }
      final int slot = (int) (number % slots);
      final Segments.Segment kept = source.read(stream, slot);
      if (kept == null || kept.number() != number || kept.samples().length != 2 * SEGMENT) {
        return false;
      }
      holding();
      segments[slot] = kept.samples();
      numbers[slot] = number;
    }
    return true;
  }

  /**
   * Hands each full segment it holds to {@code sink} and stops holding it (it is the sink's to
   * keep now): what a store does before it writes the model.
   */
  void release(final int stream, final Segments.Sink sink) {
    if (segments == null) {
      return;
    }
    for (int slot = 0; slot < slots; slot++) {
      if (segments[slot] != null) {
        sink.write(stream, slot, numbers[slot], segments[slot]);
      }
    }
    segments = null;
    numbers = null;
  }

  /**
   * About how many bytes of heap it holds (a 64-bit JVM with compressed references): itself, its
   * head once made, and the ring with its full segments until they are released.
   */
  int heapBytes() {
    int bytes = OBJECT_BYTES + (head == null ? 0 : ARRAY_HEADER + 8 * head.length);
    if (segments != null) {
      bytes += 2 * ARRAY_HEADER + (4 + 8) * slots;
      for (final double[] segment : segments) {
        if (segment != null) {
          bytes += ARRAY_HEADER + 8 * segment.length;
        }
      }
    }
    return bytes;
  }

  /** How many doubles {@link #write} takes: two numbers, then the head's samples. */
  int stateSize() {
    return 2 + 2 * (int) (next % SEGMENT);
  }

  /** The number of the next sample, the window's first, and the head's samples, from {@code at}. */
  void write(final double[] into, final int at) {
    into[at] = next;
    into[at + 1] = start;
    if (head != null) {
      System.arraycopy(head, 0, into, at + 2, stateSize() - 2);
    }
  }

  /** A window of {@code size} as {@link #write} wrote it at {@code at}, holding no segment. */
  static SampleWindow read(final int size, final double[] from, final int at) {
    final SampleWindow window = new SampleWindow(size);
    window.next = (long) from[at];
    window.start = (long) from[at + 1];
    if (window.stateSize() > 2) {
      window.head = new double[2 * SEGMENT];
      System.arraycopy(from, at + 2, window.head, 0, window.stateSize() - 2);
    }
    return window;
  }

  /**
   * A window of {@code size} whose next sample is numbered {@code next}, started there: what a
   * model's window becomes when W changes.
   */
  static SampleWindow startingAt(final int size, final long next) {
    final SampleWindow window = new SampleWindow(size);
    window.next = next;
    window.start = next;
    return window;
  }

  /** The number of the next sample. */
  long next() {
    return next;
  }

  /** How many segments slots it has. */
  int slotCount() {
    return slots;
  }

  SampleWindow copy() {
    final SampleWindow copy = new SampleWindow(size);
    copy.next = next;
    copy.start = start;
    copy.head = head == null ? null : head.clone();
    if (segments != null) {
      copy.holding();
      for (int s = 0; s < slots; s++) {
        copy.segments[s] = segments[s] == null ? null : segments[s].clone();
        copy.numbers[s] = numbers[s];
      }
    }
    return copy;
  }
}
