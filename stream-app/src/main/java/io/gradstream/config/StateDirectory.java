package io.gradstream.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The state directory, made ready before anything starts: created when missing (however it is
 * mounted: a volume, an emptyDir, a tmpfs), and proved writable by writing a file into it. When it
 * cannot be, the service stops at once with one line that names the directory, the user the
 * process runs as and the usual fix, instead of Kafka Streams' exception once the stream thread
 * starts.
 */
public final class StateDirectory {
  private StateDirectory() {}

  /** Creates {@code dir} if needed and checks that this process can write into it. */
  public static void prepare(final Path dir) throws IOException {
    try {
      Files.createDirectories(dir);
      Files.delete(Files.createTempFile(dir, ".gradstream-write-check", ".tmp"));
    } catch (final IOException | SecurityException e) {
      throw new IOException("the state directory " + dir + " cannot be written by user id "
          + userId() + " (" + reason(e) + "): make it writable for that user, in Kubernetes with "
          + "the pod's securityContext.fsGroup, or choose another with --state-dir", e);
    }
  }

  private static String reason(final Exception e) {
    final String name = e.getClass().getSimpleName().replace("Exception", "");
    return e instanceof AccessDeniedException ? "permission denied"
        : e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
        : name.isEmpty() ? String.valueOf(e.getMessage()) : name;
  }

  /** This process's user id, from /proc (Linux), else its user name. */
  static String userId() {
    try {
      for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.substring(4).trim().split("\\s+")[0];
        }
      }
    } catch (final IOException | RuntimeException e) {
      // not Linux
    }
    return System.getProperty("user.name");
  }
}
