package io.gradstream.throughput;

/** The applications a bench round measures, by the name an application's own process takes. */
public enum BenchApp {
  /** Kafka's stateless ceiling: each record copied from source to sink. */
  PASSTHROUGH("passthrough"),
  /**
   * The cheapest application that does what gradstream must at the least: per event, read its
   * key's value from a persistent store with the record cache, write it back, emit one record.
   */
  STATEFUL("stateful"),
  /** gradstream's own topology. */
  GRADSTREAM("gradstream");

  private final String id;

  BenchApp(final String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  static BenchApp named(final String id) {
    for (final BenchApp app : values()) {
      if (app.id.equals(id)) {
        return app;
      }
    }
    throw new IllegalArgumentException("no bench application '" + id + "'");
  }
}
