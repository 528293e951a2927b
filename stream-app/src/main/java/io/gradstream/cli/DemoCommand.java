package io.gradstream.cli;

import io.gradstream.config.ServiceSettings;
import io.gradstream.demo.TeacherSource;
import io.gradstream.demo.TeacherSource.Teacher;
import io.gradstream.learn.ModelSpec;
import io.gradstream.service.ServiceLife;
import io.gradstream.service.StopSignal;
import io.gradstream.stream.RaceSetup;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gradstream demo}: Kafka, the processor and a live teacher source, in one command. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Watch gradstream learn: starts a real single-node Kafka in this process (port 9092, or "
            + "a free one), the stream processor, and a synthetic source: a teacher neuron with "
            + "known weights plus Gaussian noise, at a steady rate.",
        "Open the printed address to watch it learn in the browser: the loss over time, the "
            + "models, and each model's weights walking down its loss surface.",
        "Every few seconds it prints events/s, the recent mean loss and the learned weights next "
            + "to the teacher's. HTTP: /metrics, /models, /health. Ctrl-C stops everything and "
            + "removes the temporary data."})
final class DemoCommand implements Callable<Integer> {
  /**
   * The demo's model: one feature and a bias, two parameters, so that the live page can draw the
   * loss surface with the path the model's (w, b) take down it; and its HTTP on localhost only, as
   * a program on a laptop should.
   */
  static final Map<String, String> DEFAULTS = Map.of("features", "1", "bias", "true",
      "http-host", "localhost");

  @Spec
  CommandSpec spec;

  @Mixin
  ServiceOptions service;

  @Mixin
  ModelOptions model;

  @Option(
      names = "--rate",
      paramLabel = "EVENTS_PER_S",
      defaultValue = "200",
      description =
          "Events per second from the teacher, over all keys (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--keys", paramLabel = "N", defaultValue = "4",
      description = "Number of models (keys model-0..model-N-1) (default: ${DEFAULT-VALUE}).")
  int keys;

  @Option(names = "--noise", paramLabel = "SIGMA", defaultValue = "0.05",
      description = "Standard deviation of the label noise (default: ${DEFAULT-VALUE}).")
  double noise;

  @Option(names = "--teacher", paramLabel = "KIND",
      description = "linear: a neuron labels the events; curved: f(b + Σ w_i·x_i·x_(i+1)), which "
          + "one neuron cannot fit and hidden layers can (default: curved with --hidden, else "
          + "linear).")
  String teacherKind;

  @Option(names = "--teacher-drift", paramLabel = "SECONDS",
      description = "Change the teacher every SECONDS (its weights and bias negated, and back): "
          + "the world changes, each model's drift detector (page-hinkley with δ 0.0005 and λ "
          + "0.5, for the demo's small losses, unless --drift and --ph-* say otherwise) sees "
          + "it, resets it (unless --on-drift says otherwise) and it learns again; the live "
          + "page marks each drift.")
  Double teacherDrift;

  @Option(names = "--seed", defaultValue = "1",
      description = "Seed of the synthetic events: the teacher's random inputs, its noise and "
          + "which events ask for predictions. The same seed, rate and keys give the same "
          + "events; the models' own initial weights are --init-seed's (default: "
          + "${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--progress-every", paramLabel = "SECONDS", defaultValue = "5",
      description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
  double progressEvery;

  @Override
  @SuppressWarnings("try") // the teacher source is a resource for its lifetime only
  public Integer call() throws Exception {
    if (teacherDrift != null) {
      // the demo's losses are near the noise floor (½σ² ≈ 0.0013), not near 1
      model.evaluation.unlessGiven("page-hinkley", 0.0005, 0.5, "reset");
    }
    final ModelSpec modelSpec = SettingsCheck.check(spec, model::toSpec);
    SettingsCheck.check(spec, () -> {
      if (modelSpec.hashBits() > 0) {
        throw new IllegalArgumentException("hash bits " + modelSpec.hashBits() + " is not for "
            + "the demo: its teacher sends a dense x (give --hash-bits to run or replay)");
      }
      return modelSpec;
    });
    final ServiceSettings settings = service.resolve(spec,
        ((Main) spec.parent().userObject()).environment);
    checkDemoOptions();
    final boolean curved = teacherKind == null ? modelSpec.layers() != null
        : teacherKind.equals("curved");
    final Teacher teacher = modelSpec.classes() != null
        ? Teacher.of(modelSpec.features(), modelSpec.classes())
        : curved ? Teacher.curved(modelSpec.features(), modelSpec.activation())
        : Teacher.standard(modelSpec.features(), modelSpec.bias(), modelSpec.activation());
    final PrintWriter out = spec.commandLine().getOut();
    final PrintWriter log = spec.commandLine().getErr();
    final RaceSetup race = SettingsCheck.check(spec, () -> model.raceSetup(
        spec.commandLine().getParseResult(), service.labelGrace));
    return ServiceLife.live(settings, modelSpec,
        SettingsCheck.check(spec, () -> model.toEventRules(service.labelGrace, modelSpec)), race,
        SettingsCheck.check(spec, () -> service.embeddedKafka(settings, true)),
        service.resetLocalState, log, out,
        "demo: stopped",
        (runner, kafka, stop) -> {
          try (TeacherSource source = new TeacherSource(kafka.settings().bootstrapServers(),
              settings.topics().input(), teacher, teacherDrift == null ? null
                  : Duration.ofMillis((long) (teacherDrift * 1000)), noise, rate, keys, seed)
              .start()) {
            out.println("demo: watch it learn at http://localhost:" + runner.httpPort() + "/");
            out.println("demo: teacher " + teacher + (teacher.classes() != null ? ""
                : " (" + teacher.activation().id() + ")") + ", noise σ " + noise + ", " + rate
                + " events/s over " + keys + " keys; Ctrl-C to stop");
            if (teacherDrift != null) {
              out.println("demo: the teacher changes every " + teacherDrift + " s (to "
                  + teacher.mirrored() + " and back)");
            }
            out.println("demo: Prometheus metrics at http://localhost:" + runner.httpPort()
                + "/metrics, the model at http://localhost:" + runner.httpPort() + "/models/"
                + TeacherSource.keyName(0));
            final DemoProgress progress = new DemoProgress(runner.meters(), runner.models(),
                TeacherSource.keyName(0), source::teacher);
            final Duration every = Duration.ofMillis((long) (progressEvery * 1000));
            while (!stop.await(every)) {
              out.println(progress.line());
            }
            out.println("demo: stopping" + StopSignal.on(stop));
            return runner.exitCode(log, "demo");
          }
        });
  }

  private void checkDemoOptions() {
    SettingsCheck.check(spec, () -> {
      if (teacherDrift != null && !(teacherDrift > 0 && Double.isFinite(teacherDrift))) {
        throw new IllegalArgumentException("teacher drift must be a number of seconds above 0, "
            + "got " + teacherDrift);
      }
      if (!(rate > 0) || !Double.isFinite(rate)) {
        throw new IllegalArgumentException("rate must be a number above 0, got " + rate);
      }
      if (keys < 1) {
        throw new IllegalArgumentException("keys must be at least 1, got " + keys);
      }
      if (!(noise >= 0) || !Double.isFinite(noise)) {
        throw new IllegalArgumentException("noise must be 0 or more, got " + noise);
      }
      if (teacherKind != null && !teacherKind.equals("linear")
          && !teacherKind.equals("curved")) {
        throw new IllegalArgumentException("teacher must be linear or curved, got '"
            + teacherKind + "'");
      }
      if (!(progressEvery > 0)) {
        throw new IllegalArgumentException("progress-every must be above 0");
      }
      return null;
    });
  }
}
