package io.gradstream.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/** What tests outside this package need to know of the command line. */
public final class MainAccess {
  private MainAccess() {}

  /** The long option names of {@code gradstream run} ("--learning-rate", ...). */
  public static List<String> runOptions() throws Exception {
    return Main.commandLine(new String[0], Map.of(), new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()))
        .getSubcommands().get("run").getCommandSpec().options().stream()
        .map(o -> o.longestName()).toList();
  }
}
