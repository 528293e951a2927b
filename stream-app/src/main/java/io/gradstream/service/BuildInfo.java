package io.gradstream.service;

/** What this build is: the version the jar's manifest names. */
public final class BuildInfo {
  private BuildInfo() {}

  /** The project version of the built jar, or {@code development build} from classes. */
  public static String version() {
    final String v = BuildInfo.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }
}
