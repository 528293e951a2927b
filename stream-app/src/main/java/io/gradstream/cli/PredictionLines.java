package io.gradstream.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
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
 * "y": .., "modelStep": ..}}, y in its shortest exact form so that it compares bit for bit.
 */
final class PredictionLines implements Replay.PredictionSink, Closeable {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build();

  private final Writer out;

  private PredictionLines(final Writer out) {
    this.out = out;
  }

  /** A writer to {@code file}, or one that drops every line when {@code file} is null. */
  static PredictionLines open(final CommandSpec spec, final Path file) {
    if (file == null) {
      return new PredictionLines(Writer.nullWriter());
    }
    try {
      return new PredictionLines(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    } catch (final IOException e) {
      throw new ParameterException(spec.commandLine(), "cannot write the predictions to "
          + file + ": " + e.getMessage());
    }
  }

  @Override
  public void prediction(final String key, final String id, final double y, final long modelStep) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeStringField("key", key);
      g.writeStringField("id", id);
      g.writeNumberField("y", y);
      g.writeNumberField("modelStep", modelStep);
      g.writeEndObject();
      g.flush();
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
