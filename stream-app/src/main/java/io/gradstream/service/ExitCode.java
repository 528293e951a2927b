package io.gradstream.service;

/** The exit codes of gradstream's commands, which scripts and orchestrators act on. */
public final class ExitCode {
  /** A command that could not do its work. */
  public static final int FAILURE = 1;
  /** A bad flag or setting, or settings that do not fit the stored state. */
  public static final int USAGE = 2;

  private ExitCode() {}
}
