package io.gradstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The tools these tests drive (kubectl, npm, podman), run as a person would from a shell. */
public final class Commands {
  private Commands() {}

  /** Whether {@code command} is an executable on the PATH. */
  public static boolean onPath(final String command) {
    for (final String dir : System.getenv("PATH").split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** Runs a command, feeding it {@code input}; returns its output, failing on a non-zero exit. */
  static String run(final String input, final String... command) throws Exception {
    return run(input, Map.of(), List.of(command));
  }

  /** As {@link #run(String, String...)}, with {@code env} added to this process's environment. */
  static String run(final String input, final Map<String, String> env, final List<String> command)
      throws Exception {
    final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    final Process p = builder.start();
    if (input != null) {
      p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
    return output;
  }

  /** As {@link #run(String, Map, List)}, returning stdout alone (stderr only on a failure). */
  static String stdout(final String input, final Map<String, String> env,
      final List<String> command) throws Exception {
    final Path stderr = Files.createTempFile("command", ".stderr");
    try {
      final ProcessBuilder builder = new ProcessBuilder(command)
          .redirectError(stderr.toFile());
      builder.environment().putAll(env);
      final Process p = builder.start();
      final Thread feed = new Thread(() -> {
        try (var in = p.getOutputStream()) {
          if (input != null) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
          }
        } catch (final IOException e) {
          // the command ended without reading all of it: its exit code says why
        }
      });
      feed.start();
      final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      feed.join();
      assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + Files.readString(stderr))
          .isZero();
      return output;
    } finally {
      Files.delete(stderr);
    }
  }
}
