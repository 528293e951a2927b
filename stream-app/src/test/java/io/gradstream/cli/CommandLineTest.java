package io.gradstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.config.StateDirectory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The executable as a user meets it: exit codes, one-line errors, replay's output. */
class CommandLineTest {
  @TempDir
  Path dir;

  private static MainAccess.Result run(final Map<String, String> env, final String... args) {
    return MainAccess.execute(env, args);
  }

  private static MainAccess.Result run(final String... args) {
    return run(Map.of(), args);
  }

  private Path file(final String name, final String content) throws IOException {
    final Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  @Test
  void replayTrainsANetworkOnHashedInputs() throws IOException {
    final Path events = file("clicks.jsonl", """
        {"key": "u7", "features": {"country": "DE", "amount": 2}, "d": 1}
        {"key": "u7", "features": {"country": "FR", "amount": 1}, "d": 0}
        """);
    final MainAccess.Result r = run("replay", "--hash-bits", "12", "--hidden", "3",
        "--optimizer", "adagrad", events.toString());
    assertThat(r.code()).as(r.err()).isZero();
    final JsonNode u7 = new ObjectMapper().readTree(r.out()).get("models").get("u7");
    assertThat(u7.get("hashBits").asInt()).isEqualTo(12);
    assertThat(u7.get("count").asLong()).isEqualTo(2);
    // columns of the three coordinates touched (country=DE, country=FR, amount), 3 units each
    assertThat(u7.get("layers").get(0).get("w").size()).isEqualTo(3);
    u7.get("layers").get(0).get("w").forEach(column -> assertThat(column.size()).isEqualTo(3));
    assertThat(u7.get("layers").get(1).get("w").get(0).size()).isEqualTo(3);
  }

  @Test
  void replayExplainsPredictionsTermByTermWithTheFinalModels() throws IOException {
    final Path events = file("clicks.jsonl", """
        {"key": "u7", "features": {"country": "DE", "amount": 2}, "d": 1}
        {"key": "u7", "features": {"country": "FR", "amount": 4}, "d": 0}
        """);
    final Path explain = file("explain.jsonl", """
        {"key": "u7", "features": {"country": "DE", "amount": 6}}
        {"features": {"amount": 1}}
        {"key": "new", "features": {"amount": 1}}
        """);
    final MainAccess.Result r = run("replay", "--hash-bits", "24", "--bias", "--activation",
        "identity", "--learning-rate", "0.5", "--scale", "standard", "--explain",
        explain.toString(), events.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("explain.jsonl line 2: a line to explain has \"key\" and "
        + "\"features\"");
    final JsonNode out = new ObjectMapper().readTree(r.out());
    // by hand (identity, η = ½, signs square away): step 1, amount's first value scales to 0:
    // w_DE = ½, b = ½. Step 2: amount 2, 4 (mean 3, variance 1) scales 4 to 1, net = ½, d = 0:
    // w_FR = −¼, w_amount = −¼, b = ¼. Explained, amount 6 scales to 3: contributions amount
    // −¾, DE ½; y = −¾ + ½ + ¼ = 0
    final JsonNode u7 = out.get("explanations").get(0);
    assertThat(u7.get("key").asText()).isEqualTo("u7");
    assertThat(u7.get("y").asDouble()).isZero();
    assertThat(u7.get("bias").asDouble()).isEqualTo(0.25);
    assertThat(u7.get("terms")).extracting(t -> t.get("term").asText())
        .containsExactly("amount", "country=DE");
    assertThat(u7.get("terms")).extracting(t -> t.get("contribution").asDouble())
        .containsExactly(-0.75, 0.5);
    assertThat(u7.get("terms").get(0).get("value").asDouble()).isEqualTo(3.0);
    assertThat(out.get("explanations").get(1).get("y").asDouble()).isZero();
    assertThat(out.get("models").get("u7").get("scale").get("amount").get("mean").asDouble())
        .isEqualTo(3.0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "replay --features 0 F                     | features must be at least 1",
      "replay --features two F                   | '--features'",
      "replay --learning-rate 0 F                | learning rate",
      "replay --learning-rate -0.5 F             | learning rate",
      "replay --learning-rate NaN F              | learning rate",
      "replay --learning-rate Infinity F         | learning rate",
      "replay --activation softmax F             | unknown activation 'softmax'",
      "replay --loss hinge F                     | unknown loss 'hinge' (expected squared, logistic, huber or cross-entropy)",
      "replay --loss logistic --activation tanh F | loss logistic is the cross-entropy of a sigmoid output: it needs --activation sigmoid, got tanh",
      "replay --huber-delta 2 F                  | huber delta 2.0 needs --loss huber",
      "replay --loss cross-entropy F             | loss cross-entropy needs its classes: --classes K or --class-names a,b,c",
      "replay --loss cross-entropy --classes 1 F | a multi-class model has 2 to 1000 classes, got 1",
      "replay --loss cross-entropy --classes 1001 F | a multi-class model has 2 to 1000 classes, got 1001",
      "replay --classes 3 F                      | classes 3 needs --loss cross-entropy",
      "replay --loss cross-entropy --classes 3 --activation tanh F | loss cross-entropy ends in a softmax over the classes: --activation tanh does not apply",
      "replay --loss cross-entropy --classes 3 --class-names a,b F | classes 3 and 2 class names a,b disagree",
      "replay --loss cross-entropy --class-names a,b,a F | class name 'a' is given twice",
      "replay --loss cross-entropy --class-names a,2 F | class name '2' is a number",
      "replay --loss cross-entropy --classes 3 --bias F | --bias is for one neuron: with --loss cross-entropy every class has its bias",
      "bench --classes 1                         | classes must be in 2..1000, for a dense x, got 1",
      "replay --optimizer adagrd F               | optimizer 'adagrd' is unknown (expected sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, ftrl)",
      "replay --beta1 0.5 F                      | beta1 does not apply to sgd (it is a setting of adam, adamw)",
      "replay --optimizer adam --beta1 1 F       | beta1 must be in [0, 1), got 1.0",
      "replay --optimizer adam --beta2 -0.1 F    | beta2 must be in [0, 1), got -0.1",
      "replay --optimizer adam --epsilon 0 F     | epsilon must be a finite number above 0, got 0.0",
      "replay --optimizer momentum --momentum 1.5 F | momentum must be in [0, 1), got 1.5",
      "replay --optimizer rmsprop --rmsprop-alpha NaN F | rmsprop alpha must be in [0, 1), got NaN",
      "replay --weight-decay -1 F                | weight decay must be a finite number of at least 0, got -1.0",
      "replay --optimizer ftrl --weight-decay 0.1 F | weight decay does not apply to ftrl",
      "replay --optimizer ftrl --l1 -1 F         | l1 must be a finite number of at least 0, got -1.0",
      "replay --l2 1 F                           | l2 does not apply to sgd (it is a setting of ftrl)",
      "replay --optimizer ftrl --ftrl-beta 0 F   | ftrl beta must be a finite number above 0, got 0.0",
      "replay --optimizer ftrl --init-weights 1 F | init weights and init bias do not apply to ftrl",
      "replay --optimizer ftrl --lr-schedule invscaling F | lr schedule invscaling does not apply to ftrl",
      "replay --lr-schedule cosine F             | lr schedule must be constant or invscaling, got 'cosine'",
      "replay --power-t 0.5 F                    | power t 0.5 needs --lr-schedule invscaling",
      "replay --lr-schedule invscaling --power-t -1 F | power t must be a finite number of at least 0, got -1.0",
      "replay --clip-norm 0 F                    | clip norm must be a finite number above 0, got 0.0",
      "replay --clip-norm Infinity F             | clip norm must be a finite number above 0, got Infinity",
      "replay --loss huber --huber-delta 0 F     | huber delta must be a finite number above 0, got 0.0",
      "replay --loss huber --huber-delta NaN F   | huber delta must be a finite number above 0",
      "replay --features 2 --init-weights 1 F    | init weights has 1 value but features is 2",
      "replay --init-weights 1,x F               | '--init-weights'",
      "replay --bias --init-bias NaN F           | init bias must be finite",
      "replay --init-bias 0.5 F                  | init bias 0.5 needs --bias",
      "replay --label-ttl soon F                 | label ttl 'soon' is not a duration: write 90s, 15m, 1h30m, 7d, 500ms or ISO-8601 such as PT1H",
      "replay --label-ttl 999999999999d F        | label ttl '999999999999d' is too long a duration",
      "replay --learning-rat 0.5 F               | did you mean --learning-rate?",
      "replay --label-grace 1h F                 | Unknown options: '--label-grace'",
      "run --embeded-kafka                       | Unknown option: '--embeded-kafka'; did you mean --embedded-kafka?",
      "demoo                                     | Unmatched argument at index 0: 'demoo'; did you mean demo?",
      "replay --max-abs-feature 0 F              | max abs feature must be a number above 0, got 0.0",
      "replay --max-abs-feature NaN F            | max abs feature must be a number above 0, got NaN",
      "run --bootstrap-servers k:1 --admin-api   | admin api needs a bearer token in GRADSTREAM_ADMIN_TOKEN",
      "import                                    | Missing required parameter: 'FILE'",
      "replay --label-ttl 0s F                   | label ttl must be positive",
      "run --embedded-kafka --label-grace -PT1H  | label grace must not be negative",
      "replay --predictions /no/such/dir/p.jsonl F | cannot write the predictions to /no/such/dir/p.jsonl",
      "replay --hidden 4,0 F                     | every hidden layer needs at least one unit, got 4,0",
      "replay --hidden four F                    | '--hidden'",
      "replay --hidden-activation relu F         | hidden activation relu needs --hidden",
      "replay --init-seed 7 F                    | init seed 7 needs --hidden",
      "replay --hidden 3 --hidden-activation x F | unknown activation 'x'",
      "replay --hidden 3 --optimizer ftrl F      | ftrl does not apply to hidden layers",
      "replay --hidden 3 --init-weights 1 F      | init weights and init bias are for one neuron",
      "replay --hidden 3 --bias --init-bias 1 F  | init bias is for one neuron",
      "replay --init-model /no/model.json F      | init model /no/model.json cannot be read",
      "replay --init-model /no/m.json --init-weights 1 F | does not go with --init-weights",
      "run --bootstrap-servers k:9092 --metrics-detail all | metrics detail must be summary or full, got 'all'",
      "run --bootstrap-servers k:9092 --store disk | store must be rocksdb or memory, got 'disk'",
      "bench --store heap                        | store must be rocksdb or memory, got 'heap'",
      "export --format xml                       | unknown format 'xml' (expected jsonl or onnx)",
      "export --format onnx                      | --format onnx writes files: give -o FILE with --key",
      "export --key model-1                      | --key is for --format onnx",
      "replay --bogus F                          | Unknown option: '--bogus'",
      "replay                                    | Missing required parameter: 'FILE'",
      "replay does-not-exist.csv                 | no such file: does-not-exist.csv",
      "demo --rate 0                             | rate must be a number above 0",
      "demo --keys 0                             | keys must be at least 1",
      "demo --activation nope                    | unknown activation 'nope'",
      "feed                                      | Missing required parameter: 'FILE'",
      "feed --rate -1 F                          | rate must be 0 or more",
      "feed --input-format csv F                 | unknown input format 'csv'",
      "feed nothing-here.csv                     | no such file: nothing-here.csv",
      "run --bootstrap-servers k:9092 --input-format xml | unknown input format 'xml'",
      "run --bootstrap-servers k:9092 --http-port 70000  | http port must be 0..65535",
      "run --bootstrap-servers k:9092 --input-topic t --metrics-topic t | must differ",
      "run --bootstrap-servers k:9092 --predictions-topic training-metrics | the predictions topic must differ from the metrics and dead-letter topics",
      "run --bootstrap-servers k:9092 --activation tan   | unknown activation 'tan'",
      "run --http-port 0 --embedded-kafka-port 0 | embedded kafka port must be 1..65535, got 0",
      "run --http-port 0                         | no Kafka given: name yours with --bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS, or start a temporary one in this process with --embedded-kafka",
      "run --bootstrap-servers k:1 --embedded-kafka | embedded kafka and a Kafka of your own (--bootstrap-servers) exclude each other: choose one",
      "run --bootstrap-servers k:9092 --on-settings-change maybe | unknown action 'maybe' (expected refuse, reset or keep)",
      "bench --guarantee exactly_once            | guarantee must be exactly_once_v2 or at_least_once",
      "bench --events 0                          | events, keys, features and rounds must be at least 1",
      "bench --rounds 0                          | events, keys, features and rounds must be at least 1",
      "bench --latency-rate 0                    | a latency rate above 0",
      "frobnicate                                | Unmatched argument",
  })
  void badFlagsAndSettingsAreOneLineAndExitCode2(final String args, final String message)
      throws IOException {
    final Path events = file("e.csv", "d,x\n1,2\n");
    final MainAccess.Result r = run(args.trim().replace(" F", " " + events).split("\\s+"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(message);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void environmentValuesAreCheckedLikeFlags() {
    final MainAccess.Result r = run(Map.of("GRADSTREAM_LEARNING_RATE", "-1",
        "KAFKA_BOOTSTRAP_SERVERS", "k:1"), "run");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("learning rate must be a finite number above 0, got -1.0");
  }

  /** A misspelt Kafka setting used to start an embedded broker and wipe the state beside it. */
  @Test
  void aMisspeltKafkaVariableIsRefusedWithTheClosestName() {
    for (final String command : new String[] {"run", "demo", "feed", "tail"}) {
      final MainAccess.Result r = run(Map.of("KAFKA_BOOTSTRAP_SERVER", "k:1",
          "KAFKA_SERVICE_HOST", "10.0.0.1", "KAFKA_PORT_9092_TCP_ADDR", "10.0.0.1"),
          command.equals("feed") ? new String[] {command, "-"}
              : command.equals("tail") ? new String[] {command, "t"} : new String[] {command});
      assertThat(r.code()).as(command).isEqualTo(2);
      assertThat(r.err().strip()).as(command).isEqualTo("gradstream: unknown Kafka setting "
          + "KAFKA_BOOTSTRAP_SERVER in the environment (bootstrap.server); did you mean "
          + "KAFKA_BOOTSTRAP_SERVERS? (KAFKA_<PROPERTY> sets a Kafka client or Streams property) "
          + "(see 'gradstream " + command + " --help')");
    }
    // replay reads no Kafka settings
    assertThat(run(Map.of("KAFKA_BOOTSTRAP_SERVER", "k:1"), "replay", "--help").code()).isZero();
  }

  @Test
  void aMisspeltKafkaPropertyInTheConfigFileIsRefused() throws IOException {
    final Path config = file("client.properties", "bootstrap.servers=k:1\nsasl.mechansim=PLAIN\n");
    final MainAccess.Result r = run("run", "--config", config.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown Kafka setting 'sasl.mechansim' in " + config
        + "; did you mean sasl.mechanism?");
  }

  /** Files that would train nothing are refused before anything is read or sent. */
  @Test
  void aCsvWithoutALabelColumnOrWithOtherFeaturesIsRefusedInOneLine() throws IOException {
    final Path unlabelled = file("label.csv", "key,label,x\na,1,2\n");
    for (final String command : new String[] {"feed", "replay"}) {
      final MainAccess.Result r = run(command, unlabelled.toString());
      assertThat(r.code()).as(command).isEqualTo(2);
      assertThat(r.err().strip()).as(command).isEqualTo("gradstream " + command + ": "
          + unlabelled + ": the CSV header has no label column 'd' (its columns: key, label, x): "
          + "name the label's column with --label-column, or give --predict-only if the file "
          + "holds no labels");
    }
    final MainAccess.Result named = run("replay", "--label-column", "label",
        unlabelled.toString());
    assertThat(named.code()).as(named.err()).isZero();
    assertThat(named.out()).contains("\"a\"");

    final Path twoFeatures = file("two.csv", "d,x1,x2\n" + "1,2,3\n".repeat(3006));
    final MainAccess.Result three = run("replay", "--features", "3", twoFeatures.toString());
    assertThat(three.code()).isEqualTo(2);
    assertThat(three.err().strip()).isEqualTo("gradstream replay: " + twoFeatures + ": the CSV "
        + "header has 2 feature columns (x1, x2) but --features is 3");
    assertThat(three.out()).isEmpty();
  }

  @Test
  void initModelsAreCheckedLineByLineAgainstTheSettings() throws IOException {
    final Path models = file("models.jsonl", "{\"key\": \"a\", \"w\": [1.5], \"b\": 0.5}\n\n"
        + "{\"key\": \"b\", \"w\": [1, 2], \"b\": null}\n");
    final Path events = file("events.csv", "key,x,d\na,1,0\n");
    final MainAccess.Result r = run("replay", "--bias", "--init-models", models.toString(),
        events.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("init models " + models + " line 3: the model has 2 weights and "
        + "no bias, the settings ask for 1 and a bias");
    Files.writeString(models, "{\"key\": \"a\", \"w\": [1.5], \"b\": 0.5}\n");
    final MainAccess.Result ok = run("replay", "--bias", "--activation", "identity",
        "--init-models", models.toString(), events.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    // from w 1.5, b 0.5 with x 1, d 0: y 2, η 0.1: w 1.3, b 0.3
    assertThat(ok.out()).contains("\"a\":{\"w\":[1.3],\"b\":0.3");
  }

  @Test
  void aReplayInWhichEveryRowIsInvalidFailsSayingWhy() throws IOException {
    final Path json = file("bad.jsonl", "{\"x\": [1, 2], \"d\": 1}\n".repeat(4)
        + "{\"x\": [1], \"d\": NaN}\n");
    final MainAccess.Result r = run("replay", json.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip().lines().toList()).hasSize(6).last().isEqualTo("replay: every row of "
        + json + " is invalid (5 rows, most often wrong-feature-count): nothing trained");
  }

  @Test
  void unknownSettingsInTheConfigFileAreRefused() throws IOException {
    final Path config = file("gradstream.properties",
        "learning-rate=0.05\nlerning-rate=0.1\nsasl.mechanism=PLAIN\n");
    final MainAccess.Result r = run("run", "--bootstrap-servers", "k:9092", "--config",
        config.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown setting 'lerning-rate'");
  }

  /** A warm start must fit the settings: one line, exit 2, naming the file and both shapes. */
  @Test
  void anInitModelOfAnotherShapeIsRefusedInOneLine() throws IOException {
    final Path events = file("e.csv", "d,x1,x2\n1,2,3\n");
    final Path neuron = file("neuron.json", "{\"models\": {\"k\": {\"w\": [0.5, 1.5], \"b\": null, "
        + "\"count\": 3, \"lossSum\": 1.0}}, \"invalid\": 0}");
    final Path network = file("network.json", "{\"layers\": [{\"w\": [[1, 2], [3, 4], [5, 6]], "
        + "\"b\": [0, 0, 0]}, {\"w\": [[1, 1, 1]], \"b\": [0.5]}], \"count\": 9, \"lossSum\": 2}");
    final Path broken = file("broken.json", "{\"layers\": [{\"w\": [[1, 2]], \"b\": [0, 1]}]}");
    final String[][] refused = {
        {"--features", "3", "--init-model", neuron.toString()},
        {"--features", "2", "--bias", "--init-model", neuron.toString()},
        {"--features", "2", "--hidden", "3", "--init-model", neuron.toString()},
        {"--features", "2", "--hidden", "4", "--init-model", network.toString()},
        {"--features", "2", "--init-model", network.toString()},
        {"--features", "2", "--hidden", "3", "--init-model", broken.toString()},
    };
    final String[] messages = {"has 2 weights and no bias but the settings ask for 3 and no bias",
        "but the settings ask for 2 and a bias", "is one neuron of 2 features but the settings ask "
        + "for a network [2, 3, 1]", "is a network [2, 3, 1] but the settings ask for a network "
        + "[2, 4, 1]", "is a network [2, 3, 1] but the settings ask for one neuron",
        "layer 1 needs one row of w per bias"};
    for (int i = 0; i < refused.length; i++) {
      final String[] args = new String[refused[i].length + 2];
      args[0] = "replay";
      System.arraycopy(refused[i], 0, args, 1, refused[i].length);
      args[args.length - 1] = events.toString();
      final MainAccess.Result r = run(args);
      assertThat(r.code()).as(messages[i]).isEqualTo(2);
      assertThat(r.err()).contains(messages[i]);
      assertThat(r.err().strip().lines()).hasSize(1);
    }
    // and one that fits starts every new model from its weights
    final MainAccess.Result fits = run("replay", "--features", "2", "--hidden", "3",
        "--activation", "identity", "--init-model", network.toString(), events.toString());
    assertThat(fits.code()).isZero();
    // one event, d = 1, from the start's y = tanh(1·2 + 2·3) + tanh(3·2 + 4·3) + tanh(5·2 + 6·3)
    // + 0.5 (tanh hidden units, identity output)
    final double y = Math.tanh(8) + Math.tanh(18) + Math.tanh(28) + 0.5;
    final JsonNode model = new com.fasterxml.jackson.databind
        .ObjectMapper().readTree(fits.out()).get("models").get("default");
    assertThat(model.get("count").asLong()).isEqualTo(1);
    assertThat(model.get("lossSum").asDouble())
        .isCloseTo(0.5 * (1 - y) * (1 - y), Assertions.within(1e-12));
  }

  /**
   * A port clash is found before anything starts: no embedded broker, no topics created (here
   * Kafka is unreachable, and would take many seconds to say so).
   */
  @Test
  void aTakenHttpPortStopsRunAndDemoBeforeAnythingStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      final String port = Integer.toString(taken.getLocalPort());
      for (final String[] args : new String[][] {
          {"run", "--bootstrap-servers", "localhost:1", "--http-port", port},
          {"demo", "--bootstrap-servers", "localhost:1", "--http-port", port}}) {
        final MainAccess.Result r = run(args);
        assertThat(r.code()).as(args[0]).isEqualTo(1);
        assertThat(r.err()).as(args[0]).contains("HTTP port " + port + " is in use; choose "
            + "another with --http-port").doesNotContain("Kafka").doesNotContain("topic");
      }
    }
  }

  /** A port asked for the embedded Kafka must be free: said before any broker starts. */
  @Test
  void aTakenEmbeddedKafkaPortIsOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      final String port = Integer.toString(taken.getLocalPort());
      final MainAccess.Result r = run("run", "--http-port", "0", "--embedded-kafka-port", port);
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err().strip()).isEqualTo("gradstream run: port " + port + " for the embedded "
          + "Kafka is taken; choose another with --embedded-kafka-port");
    }
  }

  @Test
  void theVersionIsTheBuilds() {
    assertThat(run("-V").out().strip()).isEqualTo("gradstream development build");
  }

  /** Without a command there is nothing to do: a usage error, one line, exit code 2. */
  @Test
  void noCommandIsAUsageError() {
    final MainAccess.Result r = run();
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("gradstream: a command is required: demo, run, feed, "
        + "tail, replay, export, import or bench (see 'gradstream --help')");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aStateDirectoryThatCannotBeWrittenIsOneLineBeforeAnythingStarts() throws IOException {
    // a file where a directory should be: refused even for root, who may write anywhere else
    final Path notADirectory = file("plain-file", "");
    final MainAccess.Result r = run("run", "--bootstrap-servers", "localhost:1", "--http-port",
        "0", "--state-dir", notADirectory.resolve("state").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("the state directory " + notADirectory.resolve("state"))
        .containsPattern("cannot be written by user id \\d+")
        .contains("securityContext.fsGroup").contains("--state-dir");
  }

  @Test
  void aMissingStateDirectoryIsCreated() throws IOException {
    final Path nested = dir.resolve("a/b/state");
    StateDirectory.prepare(nested);
    assertThat(nested).isDirectory();
    assertThat(Files.list(nested)).as("the write check leaves nothing behind").isEmpty();
  }

  @Test
  void everyCommandHasHelp() {
    for (final String command : new String[] {"demo", "run", "replay"}) {
      final MainAccess.Result r = run(command, "--help");
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains("Usage: gradstream " + command).contains("--learning-rate")
          .contains("--activation");
    }
    assertThat(run("feed", "--help").out()).contains("--rate").contains("--input-format");
    assertThat(run("--help").out()).contains("demo").contains("run").contains("feed")
        .contains("replay");
    // the demo's own defaults show in its help
    assertThat(run("demo", "--help").out()).contains("Number of input features n (default: 1)")
        .contains("has biases anyway (default: true)");
    assertThat(run("run", "--help").out()).contains("has biases anyway (default: false)")
        .contains("--hidden=N1,N2,...").contains("--init-model=FILE");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "d,x1,x3       | e.csv: the CSV header names x3 but not x2",
      "d,x1,x1       | e.csv: the CSV header names 'x1' twice (columns 2 and 3)",
      "key,y         | e.csv: the CSV header has neither a label column 'd' nor feature columns",
      "[{\"x\": [1]}] | e.csv: expected JSON Lines (one object per line) or CSV with a header",
  })
  void aFileThatIsNotAnEventFileIsOneLineAndExitCode2BeforeAnything(final String first,
      final String message) throws IOException {
    final Path events = file("e.csv", first.replace("\\\"", "\"") + "\n1,2,3\n");
    for (final String command : new String[] {"replay", "feed"}) {
      // feed is pointed at a port where nothing listens: the file is refused before Kafka is asked
      final MainAccess.Result r = command.equals("feed")
          ? run(command, "--bootstrap-servers", "localhost:1", events.toString())
          : run(command, events.toString());
      assertThat(r.code()).as(command).isEqualTo(2);
      assertThat(r.err().strip()).as(command).startsWith("gradstream " + command + ": ")
          .contains(message).doesNotContain("Exception").doesNotContain("cannot reach");
      assertThat(r.err().strip().lines()).as(command).hasSize(1);
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void fileProblemsSayWhatIsWrong() throws IOException {
    MainAccess.Result r = run("replay", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(dir + " is a directory, not an event file");
    final Path locked = file("locked.csv", "d,x\n1,2\n");
    if (locked.toFile().setReadable(false) && !Files.isReadable(locked)) { // not as root
      r = run("replay", locked.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("cannot read " + locked + ": permission denied");
    }
    for (final String content : new String[] {"", "key,d,x\n", "\n\n"}) {
      r = run("replay", file("empty.csv", content).toString());
      assertThat(r.code()).isZero();
      assertThat(r.err())
          .contains("holds no events (it is empty or only a header); nothing trained");
      assertThat(new ObjectMapper().readTree(r.out()).get("models").size()).isZero();
    }
  }

  @Test
  void aMisspeltEnvironmentVariableIsRefusedWithTheNameItMeant() throws IOException {
    final Path events = file("e.csv", "d,x\n1,2\n");
    final MainAccess.Result r = run(Map.of("GRADSTREAM_LERNING_RATE", "0.5"), "replay",
        events.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown setting GRADSTREAM_LERNING_RATE in the environment; "
        + "did you mean GRADSTREAM_LEARNING_RATE?");
    assertThat(r.err().strip().lines()).hasSize(1);
    // a variable of another command's option is fine: one environment serves several commands
    assertThat(run(Map.of("GRADSTREAM_HTTP_PORT", "8081"), "replay", events.toString()).code())
        .isZero();
    assertThat(run(Map.of("GRADSTREAM_NONSENSE", "1"), "--help").code()).isZero();
  }

  @Test
  void replayTakesTheModelSettingsFromTheEnvironmentAsRunDoes() throws IOException {
    final Path events = file("e.csv", "d,x\n1,2\n");
    final MainAccess.Result r = run(Map.of("GRADSTREAM_ACTIVATION", "identity",
        "GRADSTREAM_LEARNING_RATE", "0.5", "GRADSTREAM_BIAS", "true"), "replay", events.toString());
    assertThat(r.code()).isZero();
    // identity, η = ½, w = 0, b = 0, x = 2, d = 1: e = 1, ∂L/∂w = −2, ∂L/∂b = −1 → w = 1, b = ½
    final JsonNode m = new ObjectMapper().readTree(r.out()).get("models").get("default");
    assertThat(m.get("w").get(0).asDouble()).isEqualTo(1.0);
    assertThat(m.get("b").asDouble()).isEqualTo(0.5);
  }

  @Test
  void aBadValueIsNamedByWhereItCameFrom() throws IOException {
    final Path events = file("e.csv", "d,x\n1,2\n");
    MainAccess.Result r = run(Map.of("GRADSTREAM_LEARNING_RATE", "-1"), "replay",
        events.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("GRADSTREAM_LEARNING_RATE=-1: learning rate must be");
    r = run(Map.of("GRADSTREAM_LEARNING_RATE", "fast"), "replay", events.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("GRADSTREAM_LEARNING_RATE=fast: ").contains("'fast'");
    // the flag wins, and then the message speaks of the flag only
    r = run(Map.of("GRADSTREAM_LEARNING_RATE", "0.5"), "replay", "--learning-rate", "-2",
        events.toString());
    assertThat(r.err()).doesNotContain("GRADSTREAM_").contains("learning rate must be");
    final Path config = file("app.properties", "learning-rate=fast\n");
    r = run("run", "--bootstrap-servers", "k:9092", "--config", config.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("learning-rate=fast in " + config + ": ");
    final Path bad = file("bad.properties", "features=0\n");
    r = run("run", "--bootstrap-servers", "k:9092", "--config", bad.toString());
    assertThat(r.err()).contains("features=0 in " + bad + ": features must be at least 1");
  }

  @Test
  void reluFromZeroWarnsThatItNeverLearns() throws IOException {
    final Path events = file("e.csv", "d,x\n1,2\n");
    MainAccess.Result r = run("replay", "--activation", "relu", events.toString());
    assertThat(r.code()).isZero();
    assertThat(r.err()).contains("warning: relu from all-zero starting weights never learns");
    // and indeed: the weight stays 0 (net = 0, relu'(0) = 0)
    assertThat(new ObjectMapper().readTree(r.out()).at("/models/default/w/0").asDouble())
        .isEqualTo(0.0);
    r = run("replay", "--activation", "relu", "--init-weights", "0.1", events.toString());
    assertThat(r.err()).doesNotContain("warning");
    r = run("replay", "--activation", "relu", "--bias", "--init-bias", "0.1", events.toString());
    assertThat(r.err()).doesNotContain("warning");
  }

  @Test
  void replayPrintsTheModelsAsJsonAndReportsBadRowsByLine() throws IOException {
    final Path events = file("e.csv", """
        key,d,x1,x2
        a,1,1,0
        b,0,0,1
        a,1,1,0
        b,oops,0,1
        a,1,1,
        """);
    final MainAccess.Result r = run("replay", "--features", "2", "--bias", "--activation",
        "identity", "--learning-rate", "0.5", events.toString());
    assertThat(r.code()).isZero();
    assertThat(r.err()).contains("line 5: undecodable").contains("line 6: wrong-feature-count");
    final JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("invalid").asLong()).isEqualTo(2);
    // a, by hand (identity, η = ½, x = (1, 0), d = 1):
    //   step 1: y = 0, e = 1, ∂L/∂w = (−1, 0), ∂L/∂b = −1 → w = (0.5, 0), b = 0.5, L = 0.5
    //   step 2: y = 0.5 + 0.5 = 1, e = 0 → no change, L = 0
    final JsonNode a = json.get("models").get("a");
    assertThat(a.get("w").get(0).asDouble()).isEqualTo(0.5);
    assertThat(a.get("w").get(1).asDouble()).isEqualTo(0.0);
    assertThat(a.get("b").asDouble()).isEqualTo(0.5);
    assertThat(a.get("count").asLong()).isEqualTo(2);
    assertThat(a.get("lossSum").asDouble()).isEqualTo(0.5);
    // b: y = 0, e = 0: nothing moves, one event counted
    final JsonNode b = json.get("models").get("b");
    assertThat(b.get("count").asLong()).isEqualTo(1);
    assertThat(b.get("lossSum").asDouble()).isEqualTo(0.0);
  }

  @Test
  void replayWithoutBiasPrintsNullForB() throws IOException {
    final Path events = file("e.jsonl", "{\"key\": \"k\", \"x\": [2], \"d\": 1}\n");
    final MainAccess.Result r = run("replay", events.toString());
    assertThat(r.code()).isZero();
    final JsonNode k = new ObjectMapper().readTree(r.out()).get("models").get("k");
    assertThat(k.get("b").isNull()).isTrue();
    // sigmoid, w = 0: y = ½, e = ½, f' = ¼, ∂L/∂w = −½·¼·2 = −¼, w = 0.1·¼
    assertThat(k.get("w").get(0).asDouble()).isEqualTo(0.025);
  }

  @Test
  void replayHashesNamedFeaturesWithHashBits() throws IOException {
    final Path events = file("clicks.jsonl", """
        {"key": "u7", "features": {"country": "DE", "amount": 2}, "d": 1}
        {"key": "u7", "features": {"country": "FR", "amount": 1}, "d": 0}
        """);
    final MainAccess.Result r = run("replay", "--hash-bits", "24", "--bias", "--activation",
        "identity", "--learning-rate", "0.5", "--interactions", "country:amount",
        events.toString());
    assertThat(r.code()).as(r.err()).isZero();
    final JsonNode u7 = new ObjectMapper().readTree(r.out()).get("models").get("u7");
    assertThat(u7.get("hashBits").asInt()).isEqualTo(24);
    assertThat(u7.get("count").asLong()).isEqualTo(2);
    // by hand (identity, squared loss, η = ½, from 0; whatever the signs, since a sign times
    // itself is 1): step 1, terms country=DE (1), amount (2), country=DE^amount (2), d = 1:
    // e = 1, each weight ½·value·sign: 0.5, 1, 1; b = 0.5. Step 2, country=FR (1), amount (1),
    // country=FR^amount (1), d = 0: net = 0.5 + 1·1 = 1.5, e = −1.5: amount 1 − 0.75 = 0.25,
    // FR and FR^amount 0.75 each; b = 0.5 − 0.75 = −0.25; L = 0.5 + 1.125
    assertThat(u7.get("b").asDouble()).isEqualTo(-0.25);
    assertThat(u7.get("lossSum").asDouble()).isEqualTo(1.625);
    final List<Double> magnitudes = new ArrayList<>();
    u7.get("w").forEach(w -> magnitudes.add(Math.abs(w.asDouble())));
    assertThat(magnitudes).containsExactlyInAnyOrder(0.5, 1.0, 0.25, 0.75, 0.75);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "replay --interactions a:b F               | interactions a:b needs --hash-bits",
      "replay --max-terms 5 F                    | max terms 5 needs --hash-bits",
      "replay --hash-bits 4 --features 3 F       | features 3 does not go with --hash-bits: hashed inputs have 2^4 coordinates",
      "replay --hash-bits 25 F                   | hash bits must be in 1..24, got 25",
      "replay --scale minmax F                   | scale minmax is none or standard",
      "run --bootstrap-servers localhost:1 --hash-bits 18 --optimizer ftrl --max-coordinates 100000 | models of these settings take up to 2,800,",
      "run --bootstrap-servers localhost:1 --features 200 --hidden 300 --optimizer adam | more than the producer's max.request.size allows (1,048,576), so Kafka could not carry them to the store's changelog: use fewer features or hidden units",
      "replay --max-coordinates 5 F              | max coordinates 5 needs --hash-bits",
      "replay --hash-bits 4 --max-coordinates 0 F | max coordinates must be in 1..499000 (a stored model's arrays hold at most a million values: two per coordinate with ftrl), got 0",
      "replay --explain E F                      | explain E needs --hash-bits: a prediction is explained term by term for named features",
      "replay --hash-bits 4 --optimizer adam F   | optimizer adam moves every weight at every step, so it cannot be both exact and sparse on hashed inputs: use sgd, adagrad or ftrl",
      "replay --hash-bits 4 --interactions ab F  | interactions name two features, a:b, got 'ab'",
      "replay --hash-bits 4 --hidden 3 --optimizer adam F | optimizer adam moves every weight at every step, so it cannot be both exact and sparse on hashed inputs: use sgd, adagrad or ftrl",
      "replay --hash-bits 4 --hidden 3 --explain E F | explain E is for one hashed neuron: through hidden layers the terms' contributions do not add up",
      "replay --categorical zip F               | categorical zip needs named features (--hash-bits)",
      "demo --hash-bits 4                        | hash bits 4 is not for the demo: its teacher sends a dense x (give --hash-bits to run or replay)",
  })
  void hashingSettingsThatCannotApplyAreUsageErrors(final String args, final String message) {
    final MainAccess.Result r = run(args.split(" "));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(message);
  }
}
