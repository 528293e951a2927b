package io.gradstream.replay;

import io.gradstream.stream.AvroEvents;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A test event in every form gradstream reads: a CSV row, a JSON line, an Avro or JSON Kafka
 * value. {@code kind} makes some of them invalid on purpose.
 */
public record EventRow(String key, double[] x, Double d, Kind kind) {
  public enum Kind { VALID, WRONG_COUNT, NAN_FEATURE, INFINITE_LABEL, MISSING_LABEL, GARBAGE }

  public boolean valid(final int n) {
    return kind == Kind.VALID && x.length == n;
  }

  /** Noisy targets of a random linear teacher, ~1 row in 8 invalid, keys interleaved. */
  public static List<EventRow> random(final Random random, final int count, final int n, final int keys) {
    final double[] teacher = new double[n];
    for (int i = 0; i < n; i++) {
      teacher[i] = random.nextGaussian();
    }
    final List<EventRow> rows = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      final String key = "model-" + random.nextInt(keys);
      final double[] x = new double[n];
      double d = 0;
      for (int i = 0; i < n; i++) {
        x[i] = random.nextGaussian() * (random.nextInt(20) == 0 ? 50 : 1);
        d += teacher[i] * x[i];
      }
      d = Math.tanh(d) + 0.05 * random.nextGaussian();
      final Kind kind = random.nextInt(8) == 0
          ? Kind.values()[1 + random.nextInt(Kind.values().length - 1)] : Kind.VALID;
      switch (kind) {
        case WRONG_COUNT -> rows.add(new EventRow(key,
            Arrays.copyOf(x, n == 1 ? 2 : n - 1 + 2 * random.nextInt(2)), d, kind));
        case NAN_FEATURE -> {
          x[random.nextInt(n)] = Double.NaN;
          rows.add(new EventRow(key, x, d, kind));
        }
        case INFINITE_LABEL -> rows.add(new EventRow(key, x, Double.POSITIVE_INFINITY, kind));
        case MISSING_LABEL -> rows.add(new EventRow(key, x, null, kind));
        default -> rows.add(new EventRow(key, x, d, kind));
      }
    }
    return rows;
  }

  public static String csv(final List<EventRow> rows, final int columns) {
    final StringBuilder out = new StringBuilder("key,d");
    for (int i = 1; i <= columns; i++) {
      out.append(",x").append(i);
    }
    out.append(",comment\n");
    for (final EventRow row : rows) {
      out.append(row.key).append(',').append(row.d == null ? "" : row.d.toString());
      for (int i = 0; i < columns; i++) {
        out.append(',');
        if (row.kind == Kind.GARBAGE && i == 0) {
          out.append("not-a-number");
        } else if (i < row.x.length) {
          out.append(row.x[i]);
        }
      }
      out.append(",ignored\n");
    }
    return out.toString();
  }

  public static String jsonLines(final List<EventRow> rows) {
    final StringBuilder out = new StringBuilder();
    for (final EventRow row : rows) {
      out.append(row.jsonText(true)).append('\n');
    }
    return out.toString();
  }

  public byte[] json() {
    return jsonText(false).getBytes(StandardCharsets.UTF_8);
  }

  private String jsonText(final boolean withKey) {
    if (kind == Kind.GARBAGE) {
      return "{\"key\": \"" + key + "\", \"x\": [oops], \"d\": 1}";
    }
    final StringBuilder out = new StringBuilder("{");
    if (withKey) {
      out.append("\"key\": \"").append(key).append("\", ");
    }
    out.append("\"x\": [");
    for (int i = 0; i < x.length; i++) {
      out.append(i > 0 ? ", " : "").append(x[i]);
    }
    out.append("]");
    if (d != null) {
      out.append(", \"d\": ").append(d);
    }
    return out.append('}').toString();
  }

  public byte[] avro() {
    if (kind == Kind.GARBAGE || kind == Kind.MISSING_LABEL) {
      return json(); // Avro cannot carry these mistakes; send bytes that are not Avro at all
    }
    return AvroEvents.event(d, x);
  }
}
