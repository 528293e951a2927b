package io.gradstream.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.gradstream.learn.fixture.ReachesUp;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The rooms of the code and the one direction between them, as the README's layout describes
 * them: a package may use only packages below it in {@link #LAYERS}. A new import that points up
 * (or a cycle) fails the build, instead of being found by a reader later.
 */
class ArchitectureTest {
  /** io.gradstream's packages, from the commands at the top to the maths at the bottom. */
  private static final List<String> LAYERS = List.of(
      "cli",      // the commands and their options
      "service",  // the service's life: Kafka, the runner, the stop signal, the local state
      "config",   // typed settings, checked once
      "throughput", // gradstream bench: the harness that measures it against Kafka's ceiling
      "demo",     // the embedded broker and the teacher source
      "http",     // the HTTP server and its routes
      "ui",       // the live page's data
      "replay",   // training offline from files
      "query",    // reading models: the lookup, the peers, the models' JSON
      "stream",   // the topology, its stores and records
      "step",     // the one per-event step, shared by the stream and replay
      "metrics",  // the meters
      "events",   // reading events from records and files
      "export",   // models out in other formats (ONNX)
      "registry", // a Schema Registry: its client, writer schemas by id, its framing
      "avro",     // the schemas' classes
      "onnx",     // ONNX's model format's classes
      "logging",  // a log filter
      "learn");   // the maths

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.gradstream");

  private static String room(final JavaClass c) {
    final String name = c.getPackageName();
    if (!name.startsWith("io.gradstream.")) {
      return null;
    }
    final String rest = name.substring("io.gradstream.".length());
    return rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
  }

  @Test
  void everyRoomIsPlacedAndUsesOnlyRoomsBelowIt() {
    final TreeSet<String> unplaced = new TreeSet<>();
    for (final JavaClass c : CLASSES) {
      if (room(c) != null && !LAYERS.contains(room(c))) {
        unplaced.add(room(c));
      }
    }
    assertThat(unplaced).as("packages missing from LAYERS").isEmpty();
    assertThat(upward(CLASSES)).as("imports that point up").isEmpty();
  }

  /** Every dependency of {@code classes} on a room above its own. */
  private static TreeSet<String> upward(final JavaClasses classes) {
    final TreeSet<String> upward = new TreeSet<>();
    for (final JavaClass c : classes) {
      final String from = room(c);
      if (from == null) {
        continue;
      }
      if (!LAYERS.contains(from)) {
        continue;
      }
      for (final Dependency d : c.getDirectDependenciesFromSelf()) {
        final String to = room(d.getTargetClass());
        if (to != null && !to.equals(from) && LAYERS.contains(to)
            && LAYERS.indexOf(to) < LAYERS.indexOf(from)) {
          upward.add(from + " → " + to + ": " + d.getDescription());
        }
      }
    }
    return upward;
  }

  @Test
  void noRoomsDependOnEachOtherInACircle() {
    slices().matching("io.gradstream.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void theMathsKnowsNoKafkaJsonMetricsOrAvro() {
    noClasses().that().resideInAPackage("io.gradstream.learn..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..",
            "com.fasterxml..", "io.micrometer..", "io.prometheus..", "org.apache.avro..")
        .check(CLASSES);
  }

  /** The test of the test: a class of the maths that reached up into the topology is found. */
  @Test
  void anUpwardImportIsFound() {
    assertThat(upward(new ClassFileImporter().importClasses(
        ReachesUp.class)))
        .singleElement().asString().startsWith("learn → stream: ")
        .contains("io.gradstream.stream.TrainingTopology");
  }
}
