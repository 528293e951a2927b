package io.gradstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The StatefulSet's pod as {@code podman run} runs it on one machine: the pod's and the
 * container's security contexts, the memory limit, the writable mounts and the environment. What
 * it cannot translate fails the test, so a manifest change meets the image here first.
 */
final class PodRun {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private final String name;
  private final JsonNode statefulSet;
  private final JsonNode pod;
  private final JsonNode container;
  private final Map<String, String> declared;

  private PodRun(
      final String name, final JsonNode statefulSet, final Map<String, String> declared) {
    this.name = name;
    this.statefulSet = statefulSet;
    this.pod = statefulSet.at("/spec/template/spec");
    this.container = pod.at("/containers/0");
    this.declared = declared;
  }

  /** The first pod of the rendered StatefulSet, named {@code name} (gradstream-0). */
  static PodRun of(final RenderedManifests manifests, final String name) {
    return new PodRun(name, manifests.one("StatefulSet"), manifests.environment(
        manifests.container()));
  }

  long user() {
    return pod.at("/securityContext/runAsUser").asLong();
  }

  int gracePeriodSeconds() {
    return pod.path("terminationGracePeriodSeconds").asInt(30);
  }

  /** Whether a failed container's last log lines become its termination message. */
  boolean logsAreTheTerminationMessage() {
    return container.path("terminationMessagePolicy").asText().equals("FallbackToLogsOnError");
  }

  /** Where the claim template's volume (the model store) is mounted. */
  String stateMount() {
    final List<String> paths = new ArrayList<>();
    for (final JsonNode claim : statefulSet.at("/spec/volumeClaimTemplates")) {
      for (final JsonNode mount : container.path("volumeMounts")) {
        if (mount.path("name").asText().equals(claim.at("/metadata/name").asText())) {
          paths.add(mount.path("mountPath").asText());
        }
      }
    }
    assertThat(paths).as("the mounts of volume claim templates").hasSize(1);
    return paths.get(0);
  }

  /**
   * The environment Kubernetes gives the container, KAFKA_* and GRADSTREAM_* only, with the
   * broker's address and the HTTP port of this machine: the ConfigMap, then the container's own
   * entries, with $(NAME) references expanded and the downward API's pod name and namespace.
   */
  Map<String, String> environment(final String bootstrapServers, final int httpPort) {
    final Map<String, String> all = new TreeMap<>(declared);
    all.put("POD_NAME", name);
    all.put("POD_NAMESPACE", "image-test");
    all.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
    // the host's network is shared, so the port is one that is free here
    all.put("GRADSTREAM_HTTP_PORT", Integer.toString(httpPort));
    final Map<String, String> env = new TreeMap<>();
    all.forEach((key, value) -> {
      if (key.startsWith("KAFKA_") || key.startsWith("GRADSTREAM_")) {
        assertThat(value).as("%s has a value", key).isNotNull();
        env.put(key, expand(value, all));
      }
    });
    return env;
  }

  private static String expand(final String value, final Map<String, String> env) {
    final Matcher m = REFERENCE.matcher(value);
    final StringBuilder out = new StringBuilder();
    while (m.find()) {
      final String referenced = env.get(m.group(1));
      assertThat(referenced).as("$(%s) names a variable", m.group(1)).isNotNull();
      m.appendReplacement(out, Matcher.quoteReplacement(referenced));
    }
    return m.appendTail(out).toString();
  }

  /**
   * {@code podman run} in the foreground, on the host's network (where the broker is), as the
   * pod runs: {@code mounts} adds the volume of the state directory.
   */
  List<String> runCommand(final Podman podman, final Map<String, String> env,
      final List<String> mounts, final String image) {
    final JsonNode podSecurity = pod.path("securityContext");
    final JsonNode security = container.path("securityContext");
    final List<String> args = new ArrayList<>(List.of("run", "--name", name, "--network",
        "host", "--user", podSecurity.path("runAsUser").asText() + ":"
            + podSecurity.path("runAsGroup").asText()));
    if (podSecurity.path("runAsNonRoot").asBoolean()) {
      assertThat(user()).as("runAsNonRoot with a user id").isPositive();
    }
    if (podSecurity.has("fsGroup")) {
      // Kubernetes adds fsGroup to the container's groups and gives it the volumes
      args.addAll(List.of("--group-add", podSecurity.path("fsGroup").asText()));
    }
    if (security.path("readOnlyRootFilesystem").asBoolean()) {
      args.add("--read-only");
    }
    for (final JsonNode capability : security.at("/capabilities/drop")) {
      args.addAll(List.of("--cap-drop", capability.asText()));
    }
    if (security.has("allowPrivilegeEscalation")
        && !security.path("allowPrivilegeEscalation").asBoolean()) {
      args.addAll(List.of("--security-opt", "no-new-privileges"));
    }
    final String memory = container.at("/resources/limits/memory").asText(null);
    if (memory != null) {
      args.addAll(List.of("--memory", podmanSize(memory)));
    }
    final String stateMount = stateMount();
    for (final JsonNode mount : container.path("volumeMounts")) {
      final String volume = mount.path("name").asText();
      final String path = mount.path("mountPath").asText();
      if (path.equals(stateMount)) {
        continue;
      }
      final JsonNode emptyDir = volume(volume).path("emptyDir");
      assertThat(emptyDir.isObject()).as("volume %s: only emptyDir and the claim template are "
          + "translated to podman", volume).isTrue();
      // an emptyDir is writable by the pod's user; podman gives a tmpfs the mode of the image's
      // directory beneath it (tmpfs-mode is not honoured here), chown gives it to the user
      args.addAll(List.of("--mount", "type=tmpfs,destination=" + path + ",chown=true"
          + (emptyDir.has("sizeLimit") ? ",tmpfs-size=" + podmanSize(emptyDir.path("sizeLimit")
              .asText()) : "")));
    }
    args.addAll(mounts);
    env.forEach((key, value) -> args.addAll(List.of("--env", key + "=" + value)));
    args.add(image);
    container.path("args").forEach(a -> args.add(a.asText()));
    return podman.command(args.toArray(String[]::new));
  }

  /** A Kubernetes quantity in binary units (1Gi, 256Mi) as podman writes it (1g, 256m). */
  private static String podmanSize(final String quantity) {
    final Matcher m = Pattern.compile("([0-9]+)([KMG])i").matcher(quantity);
    assertThat(m.matches()).as("a size in Ki, Mi or Gi: %s", quantity).isTrue();
    return m.group(1) + m.group(2).toLowerCase(Locale.ROOT);
  }

  private JsonNode volume(final String volumeName) {
    for (final JsonNode v : pod.path("volumes")) {
      if (v.path("name").asText().equals(volumeName)) {
        return v;
      }
    }
    throw new AssertionError("the container mounts " + volumeName + ", which the pod lacks");
  }
}
