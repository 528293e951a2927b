package io.gradstream.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency of {@code POST /models/{key}/predict} under a steady load, as a client with a pool of
 * keep-alive connections sees it: request i is due at start + i/rate and goes out on connection i
 * mod {@value #CONNECTIONS} as soon as that connection is free; its latency is measured from the
 * moment it was due, so a slow answer counts for every request it holds up (no coordinated
 * omission). The first quarter of the run is warm-up and left out. Plain sockets and HTTP/1.1:
 * the JDK's HttpClient costs milliseconds a request itself and would measure itself.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.gradstream.bench.PredictLoad URL RATE
 * SECONDS</pre>
 */
public final class PredictLoad {
  private static final int CONNECTIONS = 8;

  private PredictLoad() {}

  public static void main(final String[] args) throws Exception {
    final URI uri = URI.create(args[0]);
    final double rate = Double.parseDouble(args[1]);
    final int seconds = Integer.parseInt(args[2]);
    final byte[] body = (args.length > 3 ? args[3] : "{\"x\": [0.5, -1.0, 2.0]}")
        .getBytes(StandardCharsets.UTF_8);
    final byte[] request = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost()
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n"
        + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    final int total = (int) (rate * seconds);
    final long[] latencyNanos = new long[total];
    final AtomicInteger failures = new AtomicInteger();
    final long start = System.nanoTime() + 100_000_000L;
    final Thread[] clients = new Thread[CONNECTIONS];
    for (int c = 0; c < CONNECTIONS; c++) {
      final int first = c;
      clients[c] = new Thread(() -> {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
          socket.setTcpNoDelay(true);
          final OutputStream out = socket.getOutputStream();
          final InputStream in = new BufferedInputStream(socket.getInputStream());
          for (int i = first; i < total; i += CONNECTIONS) {
            final long due = start + (long) (i * 1e9 / rate);
            LockSupport.parkNanos(due - System.nanoTime());
            out.write(request);
            out.flush();
            if (readResponse(in) != 200 && failures.incrementAndGet() == 1) {
              System.out.println("first failure at request " + i);
            }
            latencyNanos[i] = System.nanoTime() - due;
          }
        } catch (final IOException e) {
          failures.incrementAndGet();
          System.out.println("connection " + first + " failed: " + e);
        }
      });
      clients[c].start();
    }
    for (final Thread t : clients) {
      t.join();
    }
    final long[] measured = Arrays.copyOfRange(latencyNanos, total / 4, total);
    Arrays.sort(measured);
    System.out.printf(Locale.ROOT, "predict: %d requests at %.0f/s over %d keep-alive "
        + "connections (%d measured after warm-up), %d failed: p50 %.2f ms, p99 %.2f ms, "
        + "p99.9 %.2f ms, max %.2f ms%n", total, rate, CONNECTIONS, measured.length,
        failures.get(), ms(measured, 0.5), ms(measured, 0.99), ms(measured, 0.999),
        measured[measured.length - 1] / 1e6);
  }

  /** Reads one response (headers, then Content-Length bytes); returns its status. */
  static int readResponse(final InputStream in) throws IOException {
    final StringBuilder headers = new StringBuilder();
    int matched = 0;
    while (matched < 4) {
      final int b = in.read();
      if (b < 0) {
        throw new IOException("the server closed the connection");
      }
      headers.append((char) b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n'
          && (matched == 1 || matched == 3)) ? matched + 1 : 0;
    }
    final String text = headers.toString();
    final int status = Integer.parseInt(text.substring(9, 12));
    int length = 0;
    for (final String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return status;
  }

  static double ms(final long[] sorted, final double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, sorted.length * quantile)] / 1e6;
  }
}
