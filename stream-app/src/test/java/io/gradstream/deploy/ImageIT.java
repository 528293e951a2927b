package io.gradstream.deploy;

import static io.gradstream.it.CrashRecoveryIT.assertServedModelsEqual;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.it.CrashRecoveryIT;
import io.gradstream.it.EventProducer;
import io.gradstream.it.KafkaTestCluster;
import io.gradstream.it.ServiceProcess;
import io.gradstream.it.TopicReader;
import io.gradstream.learn.Model;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.EventRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/Dockerfile built with podman on a JRE base made from Debian's packages (deploy/jre), and
 * run the way deploy/base's StatefulSet runs it: its user, group and fsGroup, a read-only root
 * filesystem, no capabilities, its memory limit, its writable mounts (the state on a volume, /tmp
 * an emptyDir) and its environment, KAFKA_* and GRADSTREAM_* only, against a real broker on the
 * host. The pod spec is read from the rendered manifests, so the manifests and the image cannot
 * drift apart.
 */
class ImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DEPLOY = Path.of(System.getProperty("gradstream.deploy"));
  private static final String IMAGE = "localhost/gradstream:it";
  private static final String POD = "gradstream-0";
  private static final String VOLUME = "gradstream-it-state";
  private static final String FRESH_VOLUME = "gradstream-it-fresh-state";

  @TempDir
  Path dir;

  private Podman podman;

  @Test
  void imageRunsAsTheStatefulSetDoesTrainsAsReplayAndStopsInOrder() throws Exception {
    podman = Podman.require(dir);
    assumeTrue(Commands.onPath("kubectl") || "true".equals(System.getenv("CI")),
        "kubectl is not installed (.ci/run installs it)");
    final String base = podman.base(DEPLOY);
    build(base, IMAGE, DEPLOY.getParent());
    checkLayers();
    checkThatACodeChangeShipsOneLayer(base);
    removeLeftovers();

    final RenderedManifests manifests = RenderedManifests.render(DEPLOY.resolve("base"));
    final PodRun pod = PodRun.of(manifests, POD);
    try (KafkaTestCluster kafka = KafkaTestCluster.start(1)) {
      final int httpPort = EmbeddedKafka.freePort();
      final Map<String, String> env = pod.environment(kafka.bootstrapServers(), httpPort);
      final String input = env.get("GRADSTREAM_INPUT_TOPIC");
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(input, 2, (short) 1))).all().get();
      }
      final int features = Integer.parseInt(env.get("GRADSTREAM_FEATURES"));
      final List<EventRow> rows = EventRow.random(new Random(18), 3000, features, 8);
      final List<EventRow> first = rows.subList(0, 2000);
      final Map<String, Model> replayFirst = replay(env, first).models();
      final Replayed replayed = replay(env, rows);
      final Map<String, Model> replayAll = replayed.models();

      // on an empty volume: ready, serving metrics, training as replay does
      ServiceProcess service = start(pod, env, volume(VOLUME, pod), httpPort, "first");
      service.awaitReady(Duration.ofSeconds(120));
      assertThat(service.get("/metrics")).contains("gradstream_build_info{");
      EventProducer.send(kafka.bootstrapServers(), input, first, 0, false);
      assertMetricsAndModels(kafka, env, service, replayFirst);
      stop(pod, service);
      assertThat(committed(kafka, env)).as("input offsets committed by the stop")
          .isEqualTo(first.size());

      // the same volume: the store is there, nothing is read from the changelog, and the steps
      // go on from where the stop left them (nothing lost, nothing twice)
      service = start(pod, env, volume(VOLUME, pod), httpPort, "restart");
      service.awaitReady(Duration.ofSeconds(120));
      assertServedModelsEqual(service, replayFirst);
      EventProducer.send(kafka.bootstrapServers(), input, rows.subList(first.size(),
          rows.size()), 0, false);
      assertMetricsAndModels(kafka, env, service, replayAll);
      assertThat(dead(kafka, env, replayed.invalid())).isEqualTo(replayed.invalid());
      stop(pod, service);
      assertThat(service.output()).doesNotContain("restored store");

      // a new volume (a pod rescheduled without its claim): the models come back from the
      // changelog, which the log says, and they are the same
      service = start(pod, env, volume(FRESH_VOLUME, pod), httpPort, "fresh-volume");
      service.awaitReady(Duration.ofSeconds(120));
      assertServedModelsEqual(service, replayAll);
      stop(pod, service);
      assertThat(service.output()).containsPattern("restored store \\S+ from \\S+: [1-9]\\d* "
          + "records in");

      // a state directory on a tmpfs given to the user (as an emptyDir in memory is): it starts
      service = start(pod, env, List.of("--mount", "type=tmpfs,chown=true,destination="
          + env.get("GRADSTREAM_STATE_DIR")), httpPort, "tmpfs");
      service.awaitReady(Duration.ofSeconds(120));
      assertServedModelsEqual(service, replayAll);
      stop(pod, service);

      // a state directory the user cannot write (a tmpfs that belongs to root): one line, exit 1
      final ServiceProcess refused = start(pod, env, List.of("--mount", "type=tmpfs,destination="
          + env.get("GRADSTREAM_STATE_DIR")), httpPort, "unwritable");
      assertThat(refused.awaitExit(Duration.ofSeconds(60))).isTrue();
      assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
      assertThat(refused.output()).contains("the state directory "
          + env.get("GRADSTREAM_STATE_DIR") + " cannot be written by user id "
          + pod.user() + " (").contains("fsGroup");
      if (pod.logsAreTheTerminationMessage()) {
        // what kubectl describe pod shows of a failed start ends with the reason
        final List<String> lines = refused.output().strip().lines().toList();
        assertThat(lines.get(lines.size() - 1)).startsWith("gradstream run: the state directory");
      }
      podman.run("rm", POD);
    }
  }

  @AfterEach
  void removeLeftovers() throws Exception {
    if (podman != null) {
      podman.exitCode("rm", "--force", POD);
      podman.exitCode("volume", "rm", "--force", VOLUME);
      podman.exitCode("volume", "rm", "--force", FRESH_VOLUME);
    }
  }

  /** Libraries and our own jars in layers of their own: a code change ships a small layer. */
  private void checkLayers() throws Exception {
    final List<Podman.Layer> copies = podman.history(IMAGE).stream()
        .filter(l -> l.createdBy().contains("COPY")).toList();
    // newest first: app/, then lib/ (the base's own copies follow)
    assertThat(copies.size()).isGreaterThanOrEqualTo(2);
    assertThat(copies.get(0).bytes()).as("our own jars").isLessThan(2_000_000);
    assertThat(copies.get(1).bytes()).as("the libraries").isGreaterThan(20_000_000);
    final List<Podman.Layer> all = podman.history(IMAGE);
    // the Dockerfile's own layers: down to the libraries' and the one before (the user's)
    final long ours = all.stream().limit(all.indexOf(copies.get(1)) + 2L)
        .mapToLong(Podman.Layer::bytes).sum();
    System.out.printf(Locale.ROOT, "image %s: %.0f MB; its own layers %.1f MB (libraries %.1f MB,"
        + " gradstream %.2f MB), the base %.0f MB%n", IMAGE, podman.size(IMAGE) / 1e6, ours / 1e6,
        copies.get(1).bytes() / 1e6, copies.get(0).bytes() / 1e6,
        (podman.size(IMAGE) - ours) / 1e6);
  }

  private static final String IMAGE_LAYOUT = "stream-app/target/image";

  private void build(final String base, final String tag, final Path context) throws Exception {
    podman.run("build", "--network", "host", "--build-arg", "BASE=" + base, "-t", tag,
        "-f", DEPLOY.resolve("Dockerfile").toString(), context.toString());
  }

  /**
   * The same build with one more file among our own jars (a code change) reuses every layer but
   * the last: what a registry and a node already hold of the previous version is not sent again.
   */
  private void checkThatACodeChangeShipsOneLayer(final String base) throws Exception {
    final Path context = dir.resolve("changed");
    final Path from = DEPLOY.getParent().resolve(IMAGE_LAYOUT);
    try (Stream<Path> files = Files.walk(from)) {
      for (final Path f : (Iterable<Path>) files::iterator) {
        final Path to = context.resolve(IMAGE_LAYOUT).resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Files.writeString(context.resolve(IMAGE_LAYOUT).resolve("app/changed.txt"), "a code change");
    final String changed = IMAGE + "-changed";
    build(base, changed, context);
    try {
      final List<String> before = podman.layerDigests(IMAGE);
      final List<String> after = podman.layerDigests(changed);
      assertThat(after).hasSameSizeAs(before);
      assertThat(after.subList(0, after.size() - 1)).isEqualTo(before.subList(0,
          before.size() - 1));
      assertThat(after.get(after.size() - 1)).isNotEqualTo(before.get(before.size() - 1));
    } finally {
      podman.exitCode("rmi", changed);
    }
  }

  private record Replayed(Map<String, Model> models, int invalid) {}

  /** The image's own {@code replay} of the rows, under the pod's settings. */
  private Replayed replay(final Map<String, String> env, final List<EventRow> rows)
      throws Exception {
    final List<String> command = new ArrayList<>(List.of("run", "--rm", "-i", "--network",
        "none", "--read-only"));
    env.forEach((k, v) -> command.addAll(List.of("--env", k + "=" + v)));
    command.addAll(List.of(IMAGE, "replay", "-"));
    final JsonNode out = JSON.readTree(Commands.stdout(EventRow.jsonLines(rows),
        podman.environment(), podman.command(command.toArray(String[]::new))));
    final Map<String, Model> models = new TreeMap<>();
    out.path("models").fields().forEachRemaining(e -> models.put(e.getKey(),
        ModelJson.parse(e.getValue())));
    assertThat(models).isNotEmpty();
    return new Replayed(models, out.path("invalid").asInt());
  }

  /** The pod started again (the previous container removed), with {@code mounts} added. */
  private ServiceProcess start(final PodRun pod, final Map<String, String> env,
      final List<String> mounts, final int httpPort, final String name) throws Exception {
    podman.exitCode("rm", "--force", POD);
    return ServiceProcess.launch(pod.runCommand(podman, env, mounts, IMAGE),
        podman.environment(), dir.resolve(name + ".log"), httpPort);
  }

  /** A named volume (created on first use) on the state directory, as the claim would be. */
  private static List<String> volume(final String volume, final PodRun pod) {
    return List.of("--volume", volume + ":" + pod.stateMount());
  }

  /**
   * {@code podman stop} as the kubelet stops a pod: SIGTERM to the container's first process,
   * SIGKILL after the grace period. The stop must be orderly, logged and well inside the grace.
   */
  private void stop(final PodRun pod, final ServiceProcess service) throws Exception {
    final long start = System.nanoTime();
    podman.run("stop", "--time", Integer.toString(pod.gracePeriodSeconds()), POD);
    assertThat(service.awaitExit(Duration.ofSeconds(30))).isTrue();
    final double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "podman stop: %.1f s (grace %d s)%n", seconds,
        pod.gracePeriodSeconds());
    assertThat(seconds).isLessThan(pod.gracePeriodSeconds() / 2.0);
    // 0, not 143: the service handles SIGTERM and exits once closed, which Kubernetes records
    // as Completed; 137 would mean it was killed at the end of the grace period
    assertThat(service.exitCode()).as(service.output()).isZero();
    assertThat(podman.run("inspect", "--format", "{{.State.ExitCode}}", POD).strip())
        .isEqualTo("0");
    assertThat(service.output()).contains("gradstream run: stopping on SIGTERM")
        .containsPattern("gradstream run: stopped \\(closed in [0-9.]+ s, exit code 0\\)")
        .contains(" → ");
  }

  private static void assertMetricsAndModels(final KafkaTestCluster kafka,
      final Map<String, String> env, final ServiceProcess service,
      final Map<String, Model> expected) throws Exception {
    CrashRecoveryIT.assertExactlyOneMetricPerStep(TopicReader.read(kafka.bootstrapServers(),
        env.get("GRADSTREAM_METRICS_TOPIC"), steps(expected), Duration.ofSeconds(60)), expected);
    assertServedModelsEqual(service, expected);
  }

  private static int dead(final KafkaTestCluster kafka, final Map<String, String> env,
      final int expected) {
    return TopicReader.read(kafka.bootstrapServers(), env.get("GRADSTREAM_DLQ_TOPIC"), expected,
        Duration.ofSeconds(30)).size();
  }

  /** The input offsets the application's group has committed, over all partitions. */
  private static long committed(final KafkaTestCluster kafka, final Map<String, String> env)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      return admin.listConsumerGroupOffsets(env.get("GRADSTREAM_APPLICATION_ID"))
          .partitionsToOffsetAndMetadata().get().entrySet().stream()
          .filter(e -> e.getKey().topic().equals(env.get("GRADSTREAM_INPUT_TOPIC")))
          .mapToLong(e -> e.getValue().offset()).sum();
    }
  }

  private static int steps(final Map<String, Model> models) {
    return (int) models.values().stream().mapToLong(Model::count).sum();
  }
}
