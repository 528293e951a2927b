package io.gradstream.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * podman, with the settings that work on a root machine without a Docker engine and with
 * cgroups in hybrid mode (runc instead of crun, cgroupfs, no default ulimits: crun and the
 * default ulimits are refused there). Images and volumes stay in podman's own storage between
 * runs, so the base image is built once per machine.
 */
final class Podman {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;

  private Podman(final Map<String, String> env) {
    this.env = env;
  }

  /**
   * podman as these tests use it, or a skipped test where it cannot run (in CI it must: .ci/run
   * installs podman, runc and debootstrap).
   */
  static Podman require(final Path workDir) throws IOException {
    final boolean ci = "true".equals(System.getenv("CI"));
    assumeTrue(ci || Commands.onPath("podman") && Commands.onPath("runc")
        && Commands.onPath("debootstrap"), "podman, runc or debootstrap is not installed: "
        + "install them (apt-get install podman buildah runc debootstrap) to build and run the "
        + "image");
    assumeTrue(ci || "root".equals(System.getProperty("user.name")),
        "building the image's Debian base needs root (debootstrap)");
    final Path conf = workDir.resolve("containers.conf");
    Files.writeString(conf, "[containers]\ndefault_ulimits = []\n");
    return new Podman(Map.of("CONTAINERS_CONF", conf.toString()));
  }

  /** The podman command line, starting with the global options. */
  List<String> command(final String... args) {
    final List<String> command = new ArrayList<>(List.of("podman", "--runtime", "runc",
        "--cgroup-manager", "cgroupfs"));
    command.addAll(List.of(args));
    return command;
  }

  /** Runs podman; its output (stdout and stderr), failing on a non-zero exit. */
  String run(final String... args) throws Exception {
    return Commands.run(null, env, command(args));
  }

  /** Runs podman and returns its exit code, whatever it is. */
  int exitCode(final String... args) throws Exception {
    final ProcessBuilder builder = new ProcessBuilder(command(args)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    return builder.start().waitFor();
  }

  /** What podman needs in its environment. */
  Map<String, String> environment() {
    return env;
  }

  /**
   * The JRE base of deploy/jre, built from Debian's packages by its script (once per machine);
   * returns its name.
   */
  String base(final Path deploy) throws Exception {
    final String out = Commands.run(null, Map.of("CONTAINERS_CONF", env.get("CONTAINERS_CONF"),
        "PODMAN", String.join(" ", command())), List.of(deploy.resolve("jre/build-base.sh")
        .toString()));
    final String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }

  /** Each layer of an image, newest first: its size in bytes and the instruction that made it. */
  List<Layer> history(final String image) throws Exception {
    final List<Layer> layers = new ArrayList<>();
    for (final JsonNode h : JSON.readTree(run("history", "--no-trunc", "--format", "json",
        image))) {
      layers.add(new Layer(h.path("size").asLong(), h.path("CreatedBy").asText(
          h.path("createdBy").asText())));
    }
    return layers;
  }

  /** The digests of an image's filesystem layers, the base's first. */
  List<String> layerDigests(final String image) throws Exception {
    final List<String> digests = new ArrayList<>();
    JSON.readTree(run("image", "inspect", "--format", "{{json .RootFS.Layers}}", image))
        .forEach(d -> digests.add(d.asText()));
    return digests;
  }

  long size(final String image) throws Exception {
    return Long.parseLong(run("image", "inspect", "--format", "{{.Size}}", image).strip());
  }

  record Layer(long bytes, String createdBy) {}
}
