package io.gradstream.demo;

import io.gradstream.events.EventEncoder;
import io.gradstream.events.EventFields;
import io.gradstream.learn.Activation;
import io.gradstream.learn.Classes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The demo's live data: a "teacher" with known weights (a neuron, or a curved function of the
 * inputs for networks) labels random inputs, plus Gaussian noise, at a steady rate, round-robin
 * over the model keys. A model that learns well ends up with the teacher's weights, so the demo can
 * show both side by side. One event in ten asks for a prediction instead (with an id), and its
 * label follows {@link #LABEL_DELAY_MILLIS} later, as in a stream whose outcomes are known only
 * after a while.
 */
public final class TeacherSource implements AutoCloseable {
  /** How long after its prediction the label of a demo prediction is sent. */
  static final long LABEL_DELAY_MILLIS = 3000;

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final Teacher teacher;
  /** The teacher after each change, and every other period; null when it never changes. */
  private final Teacher drifted;
  private final long driftNanos;
  private volatile Teacher current;
  private final double noise;
  private final double rate;
  private final byte[][] keys;
  private final EventEncoder encoder = EventEncoder.avro();
  private final Random random;
  private final Thread thread;
  private final ArrayDeque<Label> labels = new ArrayDeque<>();
  private volatile boolean running = true;

  /** A label to send once its time has come; {@code name} a class name, or null. */
  private record Label(long dueMillis, byte[] key, String id, double d, String name) {}

  /**
   * The known labeller: a neuron f(b + w·x), or with {@code curved} f(b + Σ w_i·x_i·x_(i+1))
   * (products of neighbouring features, x_1² for one feature), which no single neuron can fit:
   * it leaves one neuron a clear loss floor that hidden layers get below. Of K {@code classes}:
   * the class of the largest score w_k·x plus noise, w_k of K directions evenly around the plane
   * of the first two features, so each class is a sector of it ({@code weights} K rows of n).
   */
  public record Teacher(double[] weights, double bias, Activation activation, boolean curved,
      Classes classes) {
    /** A fixed, readable teacher for n features: 0.5, −0.75, 1.0, −1.25, ... and bias 0.25. */
    public static Teacher standard(final int n, final boolean bias, final Activation activation) {
      return new Teacher(readable(n), bias ? 0.25 : 0.0, activation, false, null);
    }

    /** The curved teacher with the same readable weights and bias 0.25. */
    public static Teacher curved(final int n, final Activation activation) {
      return new Teacher(readable(n), 0.25, activation, true, null);
    }

    /**
     * The teacher of K classes over n features: w_k,i = 2·cos(2πk/K + i·π/2), so w_k is
     * 2·(cos θ_k, −sin θ_k, ...) with θ_k = 2πk/K.
     */
    public static Teacher of(final int n, final Classes classes) {
      final int k = classes.count();
      final double[] w = new double[k * n];
      for (int c = 0; c < k; c++) {
        for (int i = 0; i < n; i++) {
          w[c * n + i] = 2.0 * Math.cos(2.0 * Math.PI * c / k + i * Math.PI / 2.0);
        }
      }
      return new Teacher(w, 0.0, Activation.IDENTITY, false, classes);
    }

    /** How many features it labels. */
    public int features() {
      return classes == null ? weights.length : weights.length / classes.count();
    }

    /** The class of the largest score w_k·x plus Gaussian noise of σ {@code noise}. */
    int classOf(final double[] x, final double noise, final Random random) {
      int best = 0;
      double top = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes.count(); c++) {
        double score = noise * random.nextGaussian();
        for (int i = 0; i < x.length; i++) {
          score += weights[c * x.length + i] * x[i];
        }
        if (score > top) {
          top = score;
          best = c;
        }
      }
      return best;
    }

    private static double[] readable(final int n) {
      final double[] w = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = (i % 2 == 0 ? 1 : -1) * (0.5 + 0.25 * i);
      }
      return w;
    }

    /** The teacher with every weight and the bias negated: the world turned over. */
    public Teacher mirrored() {
      final double[] w = weights.clone();
      for (int i = 0; i < w.length; i++) {
        w[i] = -w[i];
      }
      return new Teacher(w, -bias, activation, curved, classes);
    }

    double label(final double[] x) {
      double net = bias;
      for (int i = 0; i < x.length; i++) {
        net += weights[i] * x[i] * (curved ? x[(i + 1) % x.length] : 1.0);
      }
      return activation.value(net);
    }

    @Override
    public String toString() {
      if (classes != null) {
        return classes.count() + " classes, each a sector of the plane of (x1, x2) around w_k = "
            + "2·(cos θ_k, −sin θ_k), θ_k = 2πk/" + classes.count();
      }
      if (!curved) {
        return "w " + Arrays.toString(weights) + " b " + bias;
      }
      final StringBuilder s = new StringBuilder("y = f(" + bias);
      for (int i = 0; i < weights.length; i++) {
        s.append(weights[i] < 0 ? " - " : " + ").append(Math.abs(weights[i])).append("·x")
            .append(i + 1).append("·x").append((i + 1) % weights.length + 1);
      }
      return s.append(')').toString();
    }
  }

  public TeacherSource(final String bootstrapServers, final String topic, final Teacher teacher,
      final double noise, final double rate, final int keyCount, final long seed) {
    this(bootstrapServers, topic, teacher, null, noise, rate, keyCount, seed);
  }

  /**
   * @param driftEvery how often the teacher changes (to its {@link Teacher#mirrored} and back),
   *     null for never
   */
  public TeacherSource(final String bootstrapServers, final String topic, final Teacher teacher,
      final Duration driftEvery, final double noise, final double rate, final int keyCount,
      final long seed) {
    final Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.teacher = teacher;
    this.current = teacher;
    this.drifted = driftEvery == null ? null : teacher.mirrored();
    this.driftNanos = driftEvery == null ? Long.MAX_VALUE : driftEvery.toNanos();
    this.noise = noise;
    this.rate = rate;
    this.keys = new byte[keyCount][];
    for (int k = 0; k < keyCount; k++) {
      keys[k] = keyName(k).getBytes(StandardCharsets.UTF_8);
    }
    this.random = new Random(seed);
    this.thread = new Thread(this::produce, "gradstream-teacher");
    thread.setDaemon(true);
  }

  /** The teacher labelling the events now. */
  public Teacher teacher() {
    return current;
  }

  public static String keyName(final int k) {
    return "model-" + k;
  }

  public TeacherSource start() {
    thread.start();
    return this;
  }

  private void produce() {
    final int n = teacher.features();
    final long start = System.nanoTime();
    final double nanosPerEvent = 1e9 / rate;
    for (long i = 0; running; i++) {
      final long due = start + (long) (i * nanosPerEvent);
      final long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      final double[] x = new double[n];
      for (int j = 0; j < n; j++) {
        x[j] = random.nextGaussian();
      }
      current = drifted == null || (due - start) / driftNanos % 2 == 0 ? teacher : drifted;
      final Classes classes = current.classes();
      final int c = classes == null ? -1 : current.classOf(x, noise, random);
      final double d = classes != null ? c : current.label(x) + noise * random.nextGaussian();
      final String name = classes != null && classes.hasNames() ? classes.name(c) : null;
      final byte[] key = keys[(int) (i % keys.length)];
      final long now = System.currentTimeMillis();
      final EventFields event = new EventFields();
      event.x = x;
      event.eventTime = now;
      if (i % 10 == 9) {
        event.id = "demo-" + i;
        labels.add(new Label(now + LABEL_DELAY_MILLIS, key, event.id, d, name));
      } else {
        event.d = d;
        event.label = name;
        event.hasLabel = true;
      }
      send(key, event);
      while (!labels.isEmpty() && labels.peek().dueMillis() <= now) {
        final Label next = labels.poll();
        final EventFields label = new EventFields();
        label.id = next.id();
        label.d = next.d();
        label.label = next.name();
        label.hasLabel = true;
        label.eventTime = now;
        send(next.key(), label);
      }
    }
  }

  private void send(final byte[] key, final EventFields event) {
    try {
      producer.send(new ProducerRecord<>(topic, null, event.eventTime, key,
          encoder.encode(event)));
    } catch (final RuntimeException e) {
      if (running) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(2000);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(2));
  }
}
