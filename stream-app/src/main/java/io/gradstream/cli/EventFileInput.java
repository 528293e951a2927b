package io.gradstream.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The FILE argument of feed and replay: a path, or - for stdin. What is wrong with it is a usage
 * error that says what it is (no such file, a directory, permission denied).
 *
 * @param size the file's size in bytes, -1 for stdin
 */
record EventFileInput(InputStream stream, long size) {
  static EventFileInput open(final CommandSpec command, final String name) throws IOException {
    if (name.equals("-")) {
      return new EventFileInput(System.in, -1);
    }
    final Path path = Path.of(name);
    final String problem;
    if (Files.isDirectory(path)) {
      problem = name + " is a directory, not an event file";
    } else if (!Files.exists(path)) {
      problem = "no such file: " + name;
    } else if (!Files.isReadable(path)) {
      problem = "cannot read " + name + ": permission denied";
    } else {
      try {
        return new EventFileInput(Files.newInputStream(path), Files.size(path));
      } catch (final AccessDeniedException e) {
        problem = "cannot read " + name + ": permission denied";
      }
    }
    throw new ParameterException(command.commandLine(), problem);
  }
}
