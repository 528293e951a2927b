package io.gradstream.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.learn.Classes;
import io.gradstream.learn.StepResult;
import io.gradstream.query.ModelJson;
import io.gradstream.replay.Replay;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code replay --predictions FILE}: one JSON line per prediction, {@code {"key": .., "id": ..,
 * "y": .., "modelStep": ..}}, y in its shortest exact form so that it compares bit for bit; a
 * model of K classes' with its {@code "probabilities"} and {@code "label"}.
 */
final class PredictionLines implements Replay.PredictionSink, Closeable {
  private final Writer out;
  /** The model's classes; null for a model of one output. */
  private final Classes classes;

  private PredictionLines(final Writer out, final Classes classes) {
    this.out = out;
    this.classes = classes;
  }

  /** A writer to {@code file}, or one that drops every line when {@code file} is null. */
  static PredictionLines open(final CommandSpec spec, final Path file, final Classes classes) {
    if (file == null) {
      return new PredictionLines(Writer.nullWriter(), classes);
    }
    try {
      return new PredictionLines(Files.newBufferedWriter(file, StandardCharsets.UTF_8), classes);
    } catch (final IOException e) {
      throw new ParameterException(spec.commandLine(), "cannot write the predictions to "
          + file + ": " + e.getMessage());
    }
  }

  @Override
  public void prediction(final String key, final String id, final double y, final long modelStep) {
    write(line(key, id, y, modelStep));
  }

  @Override
  public void prediction(final String key, final String id, final StepResult step,
      final long modelStep) {
    write(line(key, id, step, modelStep));
  }

  /** A race's prediction: the champion's, with its {@code "variant"}. */
  void prediction(final String variant, final String key, final String id,
      final StepResult step, final long modelStep) {
    final ObjectNode line = line(key, id, step, modelStep);
    line.put("variant", variant);
    write(line);
  }

  private ObjectNode line(final String key, final String id, final StepResult step,
      final long modelStep) {
    final ObjectNode line = line(key, id, step.y(), modelStep);
    if (classes != null) {
      ModelJson.putClassOutput(line, classes, step);
    }
    return line;
  }

  private static ObjectNode line(final String key, final String id, final double y,
      final long modelStep) {
    final ObjectNode line = ModelJson.MAPPER.createObjectNode();
    line.put("key", key);
    line.put("id", id);
    line.put("y", y);
    line.put("modelStep", modelStep);
    return line;
  }

  private void write(final ObjectNode line) {
    try {
      out.write(ModelJson.MAPPER.writeValueAsString(line));
      out.write('\n');
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
