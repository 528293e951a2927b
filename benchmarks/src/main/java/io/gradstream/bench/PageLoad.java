package io.gradstream.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live page's requests as open pages make them: each page, once a second, asks for the
 * overview and for one model's view (the samples since its previous request, as the page does),
 * and every fifth second for a random page of the model list
 * (25 keys). Each page waits for its answers as a browser does; the latency of every request is
 * recorded, per endpoint, and printed when the time is up or the process is stopped (SIGTERM).
 * The model viewed is KEY, or with {@code -} the first tracked model (one with history). Plain
 * sockets and HTTP/1.1, one keep-alive connection per page.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.gradstream.bench.PageLoad BASE_URL PAGES
 * SECONDS KEY MODELS</pre>
 */
public final class PageLoad {
  private PageLoad() {}

  public static void main(final String[] args) throws Exception {
    final URI base = URI.create(args[0]);
    final int pages = Integer.parseInt(args[1]);
    final int seconds = Integer.parseInt(args[2]);
    final String wanted = args[3];
    final int listPages = Math.max(1, Integer.parseInt(args[4]) / 25);
    final Map<String, List<Long>> latencies = new TreeMap<>();
    final AtomicInteger failures = new AtomicInteger();
    final long end = System.nanoTime() + seconds * 1_000_000_000L;
    final String key = wanted.equals("-") ? firstTracked(base) : wanted;
    final Thread summary = new Thread(() -> print(latencies, pages, failures));
    Runtime.getRuntime().addShutdownHook(summary);
    final Thread[] threads = new Thread[pages];
    for (int p = 0; p < pages; p++) {
      threads[p] = new Thread(() -> {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
          socket.setTcpNoDelay(true);
          final OutputStream out = socket.getOutputStream();
          final InputStream in = new BufferedInputStream(socket.getInputStream());
          for (int tick = 0; System.nanoTime() < end; tick++) {
            final long due = System.nanoTime() + 1_000_000_000L;
            // an open page holds the samples up to about a second ago and asks for the newer
            // ones; its first request asks for all
            final String since = tick == 0 ? ""
                : Double.toString(System.currentTimeMillis() / 1000.0 - 1.5);
            // the floor: what any answer costs on this machine at this moment
            get(out, in, "/health/live", "health", latencies, failures);
            get(out, in, "/ui/api/overview?since=" + since, "overview", latencies, failures);
            get(out, in, "/ui/api/models/" + key + "?since=" + since, "model view", latencies,
                failures);
            if (tick % 5 == 0) {
              final int page = ThreadLocalRandom.current().nextInt(listPages);
              get(out, in, "/ui/api/models?search=&page=" + page + "&size=25", "model list",
                  latencies, failures);
            }
            final long wait = due - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000);
            }
          }
        } catch (final IOException | InterruptedException e) {
          failures.incrementAndGet();
          System.out.println("a page failed: " + e);
        }
      });
      threads[p].start();
    }
    for (final Thread t : threads) {
      t.join();
    }
    Runtime.getRuntime().removeShutdownHook(summary);
    print(latencies, pages, failures);
  }

  /** The first model in the overview's tracked models, once there is one. */
  private static String firstTracked(final URI base) throws Exception {
    final Pattern first =
        Pattern.compile("\"models\":\\{\"([^\"]+)\"");
    while (true) {
      try (Socket socket = new Socket(base.getHost(), base.getPort())) {
        socket.getOutputStream().write(("GET /ui/api/overview HTTP/1.1\r\nHost: localhost\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        final Matcher m = first.matcher(
            new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        if (m.find()) {
          return m.group(1);
        }
      } catch (final IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
  }

  private static void print(final Map<String, List<Long>> latencies, final int pages,
      final AtomicInteger failures) {
    for (final Map.Entry<String, List<Long>> e : latencies.entrySet()) {
      final long[] sorted = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf(Locale.ROOT, "page: %-10s %5d requests from %d pages, %d failed: "
          + "p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", e.getKey(), sorted.length, pages,
          failures.get(), PredictLoad.ms(sorted, 0.5), PredictLoad.ms(sorted, 0.99),
          sorted[sorted.length - 1] / 1e6);
    }
  }

  private static void get(final OutputStream out, final InputStream in, final String path,
      final String endpoint, final Map<String, List<Long>> latencies, final AtomicInteger failures)
      throws IOException {
    final long start = System.nanoTime();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    if (PredictLoad.readResponse(in) != 200) {
      failures.incrementAndGet();
    }
    final long nanos = System.nanoTime() - start;
    synchronized (latencies) {
      latencies.computeIfAbsent(endpoint, k -> Collections.synchronizedList(new ArrayList<>()))
          .add(nanos);
    }
  }
}
