package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.deploy.Commands;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk-throughs, run as a user would copy them: each shell block is taken from
 * README.md as it stands and run line by line by bash, with {@code gradstream} the built jar, on
 * the ports the README names (Kafka 9092, HTTP 8080). Between lines the test waits only where a
 * user would (for the service to be ready, for the events to be trained); then it stops the
 * service as the README's {@code &} invites (SIGTERM) and checks what each command printed.
 * kcat and curl come from Debian's packages (.ci/run installs them).
 */
class ReadmeWalkthroughIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path README = Path.of(System.getProperty("gradstream.deploy"))
      .getParent().resolve("README.md");
  private static final int SENSOR_7_EVENTS = 40;
  private static final int SHOP_1_CLICKS = 60;

  @TempDir
  Path dir;

  /** What each line printed: stdout, and stderr (the service's line has both in out). */
  private record Walk(List<String> out, List<String> err) {}

  @Test
  void yourOwnData() throws Exception {
    final List<String> lines = block("## Your own data");
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).startsWith("gradstream run --embedded-kafka");
    Files.writeString(dir.resolve("events.csv"), eventsCsv());
    final Walk walk = run(lines,
        // after feed: until sensor-7 has taken all its steps
        List.of("", "awaitCount sensor-7 " + SENSOR_7_EVENTS, "", "", ""));

    final List<String> out = walk.out();
    assertThat(out.get(1) + walk.err().get(1)).contains("feed: sent 120 events to training-events");
    final List<String> tail = out.get(2).lines().filter(l -> l.startsWith("{")).toList();
    assertThat(tail).as(out.get(2)).hasSize(10);
    for (int i = 0; i < tail.size(); i++) {
      final JsonNode record = JSON.readTree(tail.get(i));
      assertThat(record.path("key").asText()).isEqualTo("sensor-7");
      assertThat(record.at("/value/step").asLong()).isEqualTo(SENSOR_7_EVENTS - 9 + i);
    }
    // the served model is replay's, bit for bit
    final JsonNode served = JSON.readTree(out.get(3));
    final JsonNode offline = JSON.readTree(out.get(4).lines().filter(l -> l.startsWith("{"))
        .findFirst().orElseThrow()).at("/models/sensor-7");
    assertThat(served.path("count").asLong()).isEqualTo(SENSOR_7_EVENTS);
    assertThat(served.path("w").toString()).isEqualTo(offline.path("w").toString());
    assertThat(served.path("b").asDouble()).isEqualTo(offline.path("b").asDouble());
  }

  @Test
  void aPredictionAndItsLaterLabel() throws Exception {
    final List<String> lines = block("A worked example, with the service on an embedded broker:");
    assertThat(lines).hasSize(5);
    final String expected = lines.get(4);
    assertThat(expected).as("the README's answer").startsWith("# {");
    final List<String> out = run(lines.subList(0, 4),
        List.of("", "awaitCount sensor-1 2", "", "")).out();

    final List<String> tail = out.get(2).lines().filter(l -> l.startsWith("{")).toList();
    assertThat(tail).as(out.get(2)).hasSize(1);
    final JsonNode prediction = JSON.readTree(tail.get(0));
    assertThat(prediction.path("topic").asText()).isEqualTo("training-predictions");
    assertThat(prediction.at("/value/id").asText()).isEqualTo("r-17");
    assertThat(out.get(3).strip()).as("POST /models/sensor-1/predict")
        .isEqualTo(expected.substring(2).strip());
  }

  /**
   * Named features from a click log: fed from CSV, served, explained term by term (the terms add
   * up to the prediction, which predict serves too), and the same model trained offline.
   */
  @Test
  void aClickLogFromACsvFileToExplainedPredictions() throws Exception {
    final List<String> lines = block("**A click log, from a CSV file to explained predictions.**");
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).contains("--hash-bits 18").contains("--scale standard");
    Files.writeString(dir.resolve("clicks.csv"), clicksCsv());
    final List<String> out = run(lines,
        List.of("", "awaitCount shop-1 " + SHOP_1_CLICKS, "", "", "", "")).out();

    final JsonNode served = JSON.readTree(out.get(2));
    assertThat(served.path("hashBits").asInt()).isEqualTo(18);
    assertThat(served.path("count").asLong()).isEqualTo(SHOP_1_CLICKS);
    assertThat(served.at("/scale/amount/count").asLong()).isEqualTo(SHOP_1_CLICKS - 4);
    final JsonNode explained = JSON.readTree(out.get(3));
    final JsonNode terms = explained.path("terms");
    assertThat(terms).extracting(t -> t.path("term").asText()).containsExactlyInAnyOrder(
        "amount", "country=DE", "device=ios", "zip=10115", "country=DE^device=ios");
    double net = explained.path("bias").asDouble();
    double largest = Double.POSITIVE_INFINITY;
    for (final JsonNode t : terms) {
      final double c = t.path("contribution").asDouble();
      assertThat(Math.abs(c)).isLessThanOrEqualTo(largest);
      largest = Math.abs(c);
      assertThat(c).isEqualTo(t.path("sign").asInt() * t.path("value").asDouble()
          * t.path("weight").asDouble());
      assertThat(t.path("weight").asDouble()).isEqualTo(served.path("w")
          .path(t.path("coordinate").asText()).asDouble(0.0));
      net += c;
    }
    assertThat(explained.path("net").asDouble()).isCloseTo(net, within(1e-12));
    final JsonNode predicted = JSON.readTree(out.get(4));
    assertThat(predicted.path("y").asDouble()).isEqualTo(explained.path("y").asDouble())
        .isStrictlyBetween(0.0, 1.0);
    // the served model is replay's, bit for bit
    final JsonNode offline = JSON.readTree(out.get(5).lines().filter(l -> l.startsWith("{"))
        .findFirst().orElseThrow()).at("/models/shop-1");
    assertThat(served.path("w").toString()).isEqualTo(offline.path("w").toString());
    assertThat(served.path("b").asDouble()).isEqualTo(offline.path("b").asDouble());
    assertThat(served.path("scale").toString()).isEqualTo(offline.path("scale").toString());
  }

  /**
   * Runs the lines in one bash, each one's output to a file of its own; a line ending in
   * {@code &} is the service, whose readiness is awaited, and which is stopped with SIGTERM at
   * the end. {@code waits.get(i)} runs after line i: {@code awaitCount KEY N} waits until the
   * model KEY has taken N steps.
   */
  private Walk run(final List<String> lines, final List<String> waits) throws Exception {
    assumeTrue(
        Commands.onPath("kcat") && Commands.onPath("curl") || "true".equals(System.getenv("CI")),
        "kcat and curl are not installed (.ci/run installs them)");
    for (final int port : new int[] {8080, 9092}) {
      try (ServerSocket free = new ServerSocket(port)) {
        assertThat(free.getLocalPort()).isEqualTo(port);
      } catch (final IOException taken) {
        throw new AssertionError("the README's walk-through needs port " + port + " free", taken);
      }
    }
    final StringBuilder script =
        new StringBuilder(
            """
            set -u
            export PATH="$PWD/bin:$PATH"
            awaitCount() {
              for i in $(seq 600); do
                curl -s "localhost:8080/models/$1" | grep -q "\\"count\\":$2[,}]" && return 0
                sleep 0.1
              done
              echo "model $1 never reached $2 steps" >&2; return 1
            }
            service=
            """);
    for (int i = 0; i < lines.size(); i++) {
      final String line = lines.get(i);
      if (line.matches(".*\\s&\\s*(#.*)?$")) {
        script.append(line.replaceFirst("\\s&\\s*(#.*)?$", "")).append(" > out-").append(i)
            .append(".txt 2>&1 &\nservice=$!\n")
            .append("until curl -sf localhost:8080/health/ready > /dev/null; do\n")
            .append("  kill -0 $service 2> /dev/null || exit 90; sleep 0.2\ndone\n");
      } else {
        script.append("{ ").append(line).append("\n} > out-").append(i).append(".txt 2> err-")
            .append(i).append(".txt\n");
      }
      if (!waits.get(i).isEmpty()) {
        script.append(waits.get(i)).append(" || exit 91\n");
      }
    }
    script.append("kill -TERM $service; wait $service; echo $? > service-exit.txt\n");
    Files.createDirectories(dir.resolve("tmp"));
    // a command, not a shell function: the service started with & is then the java process
    // itself, which the SIGTERM at the end reaches
    final Path command = Files.createDirectories(dir.resolve("bin")).resolve("gradstream");
    Files.writeString(command, "#!/bin/sh\nexec java -Djava.io.tmpdir=\"" + dir.resolve("tmp")
        + "\" -jar \"$WALK_JAR\" \"$@\"\n");
    assertThat(command.toFile().setExecutable(true)).isTrue();
    Files.writeString(dir.resolve("walk.sh"), script);
    final ProcessBuilder bash = new ProcessBuilder("bash", "walk.sh").directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve("walk.log").toFile());
    bash.environment().put("WALK_JAR", System.getProperty("gradstream.jar"));
    final Process p = bash.start();
    final boolean ended = p.waitFor(180, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    final List<String> out = printed("out", lines.size());
    final List<String> err = printed("err", lines.size());
    final String context = "script:\n" + script + "\nlog:\n" + Files.readString(
        dir.resolve("walk.log")) + "\noutputs:\n" + String.join("\n---\n", out)
        + "\nerrors:\n" + String.join("\n---\n", err);
    assertThat(ended).as(context).isTrue();
    assertThat(p.exitValue()).as(context).isZero();
    assertThat(Files.readString(dir.resolve("service-exit.txt")).strip()).as(context)
        .isEqualTo("0");
    assertThat(out.get(0)).as("the service's own lines").contains("stopping on SIGTERM")
        .contains("exit code 0");
    return new Walk(out, err);
  }

  /** The files {@code stream-0.txt}.. of each line, empty for a line that wrote none. */
  private List<String> printed(final String stream, final int lines) throws IOException {
    final List<String> printed = new ArrayList<>();
    for (int i = 0; i < lines; i++) {
      final Path file = dir.resolve(stream + "-" + i + ".txt");
      printed.add(Files.exists(file) ? Files.readString(file) : "");
    }
    return printed;
  }

  /** The shell lines of the first ```sh block after {@code marker}, continuations joined. */
  private static List<String> block(final String marker) throws IOException {
    final String readme = Files.readString(README, StandardCharsets.UTF_8);
    final int at = readme.indexOf(marker);
    assertThat(at).as("README has %s", marker).isNotNegative();
    final int start = readme.indexOf("```sh\n", at) + "```sh\n".length();
    final int end = readme.indexOf("```", start);
    final List<String> lines = new ArrayList<>();
    final StringBuilder joined = new StringBuilder();
    for (final String line : readme.substring(start, end).split("\n")) {
      if (line.endsWith("\\")) {
        joined.append(line, 0, line.length() - 1).append(' ');
      } else {
        lines.add(joined + line);
        joined.setLength(0);
      }
    }
    return lines;
  }

  /**
   * Clicks of three shops (60 for shop-1): an amount (missing in every fifteenth row), a country,
   * a device, returning yes or no (or empty), a zip code; clicked more often on ios and by
   * returning visitors.
   */
  private static String clicksCsv() {
    final Random random = new Random(12);
    final String[] countries = {"DE", "FR", "US", "JP"};
    final String[] devices = {"ios", "android", "web"};
    final StringBuilder csv = new StringBuilder("key,d,amount,country,device,returning,zip\n");
    for (int i = 0; i < 3 * SHOP_1_CLICKS; i++) {
      final String device = devices[random.nextInt(devices.length)];
      final int returning = random.nextInt(3);
      final double p = 0.15 + (device.equals("ios") ? 0.4 : 0) + (returning == 0 ? 0.3 : 0);
      csv.append(String.format(Locale.ROOT, "shop-%d,%d,%s,%s,%s,%s,%05d%n", 1 + i % 3,
          random.nextDouble() < p ? 1 : 0,
          i % 45 == 0 ? "" : String.format(Locale.ROOT, "%.2f", 5 + 200 * random.nextDouble()),
          countries[random.nextInt(countries.length)], device,
          returning == 0 ? "yes" : returning == 1 ? "no" : "", 10000 + random.nextInt(3) * 5));
    }
    return csv.toString();
  }

  /** 120 rows over three sensors (40 for sensor-7), a noisy linear target, as a user has. */
  private static String eventsCsv() {
    final Random random = new Random(8);
    final StringBuilder csv = new StringBuilder("key,d,x1,x2\n");
    for (int i = 0; i < 120; i++) {
      final double x1 = random.nextGaussian();
      final double x2 = random.nextGaussian();
      final double d = Math.tanh(0.5 * x1 - 0.25 * x2 + 0.1) + 0.05 * random.nextGaussian();
      csv.append(String.format(Locale.ROOT, "sensor-%d,%s,%s,%s%n", 5 + i % 3, d, x1, x2));
    }
    return csv.toString();
  }
}
