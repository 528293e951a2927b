package io.gradstream.replay;

import io.gradstream.events.EventEncoder;
import io.gradstream.events.EventFields;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A test event in every form gradstream reads: a CSV row, a JSON line, an Avro or JSON Kafka
 * value. {@code kind} makes some of them invalid on purpose.
 *
 * @param x null in a label for an earlier prediction
 * @param d null in a prediction
 * @param id null when the event has none
 * @param eventTime null when the event has none
 */
public record EventRow(String key, double[] x, Double d, Kind kind, String id, Long eventTime) {
  /** TRAIN events, predictions (x without d), labels (id and d), and four kinds of mistake. */
  public enum Kind { VALID, WRONG_COUNT, NAN_FEATURE, INFINITE_LABEL, PREDICT, GARBAGE, LABEL }

  private static final EventEncoder AVRO = EventEncoder.avro();

  public EventRow(final String key, final double[] x, final Double d, final Kind kind) {
    this(key, x, d, kind, null, null);
  }

  /** A training event with x of the model's dimension n. */
  public boolean valid(final int n) {
    return kind == Kind.VALID && x.length == n;
  }

  /**
   * Dead-lettered whatever the model: not a training event of dimension n, a prediction or a label.
   */
  public boolean invalid(final int n) {
    return kind != Kind.PREDICT && kind != Kind.LABEL && !valid(n);
  }

  /**
   * Noisy targets of a random linear teacher, ~1 row in 8 invalid or a prediction, keys
   * interleaved.
   */
  public static List<EventRow> random(
      final Random random, final int count, final int n, final int keys) {
    final double[] teacher = teacher(random, n);
    final List<EventRow> rows = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      final String key = "model-" + random.nextInt(keys);
      final double[] x = features(random, n);
      final double d = label(random, teacher, x);
      final Kind kind = random.nextInt(8) == 0
          ? Kind.values()[1 + random.nextInt(Kind.GARBAGE.ordinal())] : Kind.VALID;
      switch (kind) {
        case WRONG_COUNT -> rows.add(new EventRow(key,
            Arrays.copyOf(x, n == 1 ? 2 : n - 1 + 2 * random.nextInt(2)), d, kind));
        case NAN_FEATURE -> {
          x[random.nextInt(n)] = Double.NaN;
          rows.add(new EventRow(key, x, d, kind));
        }
        case INFINITE_LABEL -> rows.add(new EventRow(key, x, Double.POSITIVE_INFINITY, kind));
        case PREDICT -> rows.add(new EventRow(key, x, null, kind));
        default -> rows.add(new EventRow(key, x, d, kind));
      }
    }
    return rows;
  }

  /**
   * A stream that trains, predicts and labels, every row with an event time 100 ms after the
   * last: about 35% training events, 30% predictions with an id and 5% without, 22% labels of a
   * pending prediction of the same key (chosen at random, so some come after the ttl), 4% labels
   * of ids never predicted or already labelled, and 4% invalid rows.
   */
  public static List<EventRow> mixed(final Random random, final int count, final int n,
      final int keys) {
    final double[] teacher = teacher(random, n);
    final Map<String, List<String>> pending = new HashMap<>();
    final Map<String, double[]> predictedX = new HashMap<>();
    final List<EventRow> rows = new ArrayList<>();
    long time = 1_764_460_800_000L;
    for (int r = 0; r < count; r++) {
      time += 100;
      final String key = "model-" + random.nextInt(keys);
      final double[] x = features(random, n);
      final int dice = random.nextInt(100);
      final List<String> ofKey = pending.computeIfAbsent(key, k -> new ArrayList<>());
      if (dice < 35) {
        rows.add(new EventRow(key, x, label(random, teacher, x), Kind.VALID, dice < 5 ? "t" + r
            : null, time));
      } else if (dice < 65) {
        final String id = "p" + r;
        ofKey.add(id);
        predictedX.put(key + "/" + id, x);
        rows.add(new EventRow(key, x, null, Kind.PREDICT, id, time));
      } else if (dice < 70) {
        rows.add(new EventRow(key, x, null, Kind.PREDICT, null, time));
      } else if (dice < 92 && !ofKey.isEmpty()) {
        final String id = ofKey.remove(random.nextInt(ofKey.size()));
        rows.add(new EventRow(key, null, label(random, teacher, predictedX.get(key + "/" + id)),
            Kind.LABEL, id, time));
      } else if (dice < 96) {
        rows.add(new EventRow(key, null, 0.5, Kind.LABEL, "never-" + r, time));
      } else {
        x[0] = Double.NaN;
        rows.add(new EventRow(key, x, 0.5, Kind.NAN_FEATURE, null, time));
      }
    }
    return rows;
  }

  private static double[] teacher(final Random random, final int n) {
    final double[] teacher = new double[n];
    for (int i = 0; i < n; i++) {
      teacher[i] = random.nextGaussian();
    }
    return teacher;
  }

  private static double[] features(final Random random, final int n) {
    final double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextGaussian() * (random.nextInt(20) == 0 ? 50 : 1);
    }
    return x;
  }

  private static double label(final Random random, final double[] teacher, final double[] x) {
    double d = 0;
    for (int i = 0; i < x.length; i++) {
      d += teacher[i] * x[i];
    }
    return Math.tanh(d) + 0.05 * random.nextGaussian();
  }

  public static String csv(final List<EventRow> rows, final int columns) {
    final StringBuilder out = new StringBuilder("key,d");
    for (int i = 1; i <= columns; i++) {
      out.append(",x").append(i);
    }
    out.append(",id,eventTime,comment\n");
    for (final EventRow row : rows) {
      out.append(row.key).append(',').append(row.d == null ? "" : row.d.toString());
      for (int i = 0; i < columns; i++) {
        out.append(',');
        if (row.kind == Kind.GARBAGE && i == 0) {
          out.append("not-a-number");
        } else if (row.x != null && i < row.x.length) {
          out.append(row.x[i]);
        }
      }
      out.append(',').append(row.id == null ? "" : row.id)
          .append(',').append(row.eventTime == null ? "" : row.eventTime.toString())
          .append(",ignored\n");
    }
    return out.toString();
  }

  public static String jsonLines(final List<EventRow> rows) {
    return jsonLines(rows, false);
  }

  /** @param named x as named features (see {@link #json(boolean)}) */
  public static String jsonLines(final List<EventRow> rows, final boolean named) {
    final StringBuilder out = new StringBuilder();
    for (final EventRow row : rows) {
      out.append(row.jsonText(true, named)).append('\n');
    }
    return out.toString();
  }

  public byte[] json() {
    return json(false);
  }

  /**
   * @param named x as named features, for a hashed model: {@code "features": {"f0": x0, "f1": x1,
   *     .., "sign": "pos" or "neg"}}, the sign a category of x0's
   */
  public byte[] json(final boolean named) {
    return jsonText(false, named).getBytes(StandardCharsets.UTF_8);
  }

  private String jsonText(final boolean withKey, final boolean named) {
    if (kind == Kind.GARBAGE) {
      return "{\"key\": \"" + key + "\", \"x\": [oops], \"d\": 1}";
    }
    final List<String> fields = new ArrayList<>();
    if (withKey) {
      fields.add("\"key\": \"" + key + "\"");
    }
    if (x != null && named) {
      final StringBuilder v = new StringBuilder("\"features\": {");
      for (int i = 0; i < x.length; i++) {
        v.append(i > 0 ? ", " : "").append("\"f").append(i).append("\": ").append(x[i]);
      }
      if (x.length > 0) {
        v.append(", \"sign\": \"").append(x[0] >= 0 ? "pos" : "neg").append('"');
      }
      fields.add(v.append('}').toString());
    } else if (x != null) {
      final StringBuilder v = new StringBuilder("\"x\": [");
      for (int i = 0; i < x.length; i++) {
        v.append(i > 0 ? ", " : "").append(x[i]);
      }
      fields.add(v.append(']').toString());
    }
    if (d != null) {
      fields.add("\"d\": " + d);
    }
    if (id != null) {
      fields.add("\"id\": \"" + id + "\"");
    }
    if (eventTime != null) {
      fields.add("\"eventTime\": " + eventTime);
    }
    return "{" + String.join(", ", fields) + "}";
  }

  public byte[] avro() {
    if (kind == Kind.GARBAGE) {
      return json(); // Avro cannot carry this mistake; send bytes that are not Avro at all
    }
    final EventFields event = new EventFields();
    event.x = x;
    event.hasLabel = d != null;
    event.d = d != null ? d : Double.NaN;
    event.id = id;
    event.eventTime = eventTime != null ? eventTime : EventFields.NO_TIME;
    return AVRO.encode(event);
  }
}
