package io.gradstream.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/** What tests outside this package need to know of the command line. */
public final class MainAccess {
  private MainAccess() {}

  /** What a command line printed and returned. */
  public record Result(int code, String out, String err) {}

  /** Runs {@code gradstream args...} in this JVM with {@code env} as its environment. */
  public static Result execute(final Map<String, String> env, final String... args) {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final int code =
        Main.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  /** The long option names of {@code gradstream run} ("--learning-rate", ...). */
  public static List<String> runOptions() throws Exception {
    return Main.commandLine(new String[0], Map.of(), new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()))
        .getSubcommands().get("run").getCommandSpec().options().stream()
        .map(o -> o.longestName()).toList();
  }
}
