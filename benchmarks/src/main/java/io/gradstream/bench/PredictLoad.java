package io.gradstream.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency of {@code POST /models/{key}/predict} under a steady open-loop load: requests leave on
 * a fixed schedule whatever the answers do, and each latency is measured from the moment its
 * request was due (so a stall counts for every request it delays, no coordinated omission). The
 * first quarter of the run is warm-up and left out.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.gradstream.bench.PredictLoad URL RATE SECONDS</pre>
 */
public final class PredictLoad {
  private PredictLoad() {}

  public static void main(final String[] args) throws Exception {
    final URI uri = URI.create(args[0]);
    final double rate = Double.parseDouble(args[1]);
    final int seconds = Integer.parseInt(args[2]);
    final String body = args.length > 3 ? args[3] : "{\"x\": [0.5, -1.0, 2.0]}";
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .build();
    final int total = (int) (rate * seconds);
    final long[] latencyNanos = new long[total];
    final AtomicInteger failures = new AtomicInteger();
    final CompletableFuture<?>[] pending = new CompletableFuture<?>[total];
    final long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      final long due = start + (long) (i * 1e9 / rate);
      LockSupport.parkNanos(due - System.nanoTime());
      final int index = i;
      pending[i] = client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString())
          .whenComplete((response, error) -> {
            latencyNanos[index] = System.nanoTime() - due;
            if (error != null || response.statusCode() != 200) {
              if (failures.incrementAndGet() == 1) {
                System.out.println("first failure: " + (error != null ? error
                    : response.statusCode() + " " + response.body()));
              }
            }
          });
    }
    CompletableFuture.allOf(pending).exceptionally(e -> null).join();
    final long[] measured = Arrays.copyOfRange(latencyNanos, total / 4, total);
    Arrays.sort(measured);
    System.out.printf(Locale.ROOT, "predict: %d requests at %.0f/s (%d measured after warm-up), "
        + "%d failed: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n", total, rate,
        measured.length, failures.get(), ms(measured, 0.5), ms(measured, 0.99),
        ms(measured, 0.999), measured[measured.length - 1] / 1e6);
  }

  private static double ms(final long[] sorted, final double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, sorted.length * quantile)] / 1e6;
  }
}
