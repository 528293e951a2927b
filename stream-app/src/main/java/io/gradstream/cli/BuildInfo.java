package io.gradstream.cli;

/** What this build is: the version the jar's manifest names. */
final class BuildInfo {
  private BuildInfo() {}

  /** The project version of the built jar, or {@code development build} from classes. */
  static String version() {
    final String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }
}
