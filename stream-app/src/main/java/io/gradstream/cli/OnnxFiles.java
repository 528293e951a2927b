package io.gradstream.cli;

import io.gradstream.export.OnnxModel;
import io.gradstream.service.BuildInfo;
import io.gradstream.stream.ModelSerde;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code export --format onnx}: one key's model into a file, or every model into a directory. */
final class OnnxFiles {
  private OnnxFiles() {}

  /**
   * @param models each key's stored bytes
   * @param key the one key to write to {@code output}, or null for every key into the directory
   *     {@code output} (made when missing)
   * @return the exit code: 0, or {@link Main#FAILURE} when the key has no model, a model cannot
   *     be exported or a file cannot be written (each said on {@code err})
   */
  static int write(final Map<String, byte[]> models, final String key, final Path output,
      final PrintWriter err, final String applicationId) {
    try {
      if (key != null) {
        final byte[] stored = models.get(key);
        if (stored == null) {
          err.println("gradstream export: application " + applicationId + " has no model for "
              + "key '" + key + "'");
          return Main.FAILURE;
        }
        Files.write(output, onnx(key, stored));
        err.println("export: model " + key + " of application " + applicationId + " as ONNX to "
            + output);
        return 0;
      }
      Files.createDirectories(output);
      int written = 0;
      int refused = 0;
      for (final Map.Entry<String, byte[]> e : models.entrySet()) {
        try {
          final byte[] graph = onnx(e.getKey(), e.getValue());
          Files.write(output.resolve(fileName(e.getKey())), graph);
          written++;
        } catch (final IllegalArgumentException notExportable) {
          err.println("gradstream export: " + notExportable.getMessage());
          refused++;
        }
      }
      err.println("export: " + Counted.of(written, "model") + " of application " + applicationId
          + " as ONNX to " + output + (refused > 0 ? "; " + refused + " not exportable" : ""));
      return refused > 0 ? Main.FAILURE : 0;
    } catch (final IllegalArgumentException e) {
      err.println("gradstream export: " + e.getMessage());
      return Main.FAILURE;
    } catch (final IOException e) {
      err.println("gradstream export: cannot write " + output + ": " + e.getMessage());
      return Main.FAILURE;
    }
  }

  /** The key percent-encoded, so that any key is one file name ("/" and ".." included). */
  static String fileName(final String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace(".", "%2E") + ".onnx";
  }

  private static byte[] onnx(final String key, final byte[] stored) {
    final ModelSerde.Stored model = ModelSerde.reader().read(stored);
    return OnnxModel.of(key, model.model(), model.settings(), BuildInfo.version());
  }
}
