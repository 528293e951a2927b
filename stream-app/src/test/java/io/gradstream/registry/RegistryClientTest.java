package io.gradstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.gradstream.avro.AvroValues;
import io.gradstream.avro.Drift;
import io.gradstream.avro.ReleasedSchemas;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's side of the registry's HTTP: what it sends (paths, credentials, bodies) and how it
 * takes each kind of answer. Against a real registry: {@code RegistryFramingIT}.
 */
class RegistryClientTest {
  private final HttpServer server;
  private final List<String> seen = new ArrayList<>();
  private int status = 200;
  private String answer = "";

  RegistryClientTest() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
          + exchange.getRequestHeaders().getFirst("Authorization") + " "
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      final byte[] body = answer.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private RegistryClient client(final Map<String, String> environment) {
    return new RegistryClient(RegistrySettings.of("http://127.0.0.1:"
        + server.getAddress().getPort() + "/apis/ccompat/v7/", null, environment));
  }

  @Test
  void fetchesASchemaByIdWithBasicAuth() throws Exception {
    answer = "{\"schema\": \"\\\"double\\\"\"}";
    final RegistryClient.WriterSchemaText text = client(Map.of(
        RegistrySettings.BASIC_AUTH_VARIABLE, "gradstream:s3cret:x")).schema(12);
    assertThat(text).isEqualTo(new RegistryClient.WriterSchemaText("AVRO", "\"double\""));
    assertThat(seen).containsExactly("GET /apis/ccompat/v7/schemas/ids/12 Basic "
        + "Z3JhZHN0cmVhbTpzM2NyZXQ6eA== ");
  }

  @Test
  void anUnknownIdIsNullAndAFailingRegistryIsUnavailable() throws Exception {
    status = 404;
    answer = "{\"error_code\": 40403, \"message\": \"Schema not found\"}";
    assertThat(client(Map.of()).schema(5)).isNull();
    status = 503;
    answer = "<html>down for maintenance</html>";
    assertThatThrownBy(() -> client(Map.of()).schema(5))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageEndingWith("did not answer schema 5: HTTP 503");
    assertThat(seen.get(0)).startsWith("GET /apis/ccompat/v7/schemas/ids/5 null");
  }

  @Test
  void registersUnderTheSubjectAndTakesTheIdOrTheRefusal() throws Exception {
    answer = "{\"id\": 31}";
    assertThat(client(Map.of()).register("training-drifts-value", Drift.getClassSchema()))
        .isEqualTo(31);
    assertThat(seen.get(0)).startsWith("POST /apis/ccompat/v7/subjects/training-drifts-value/"
        + "versions null {\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Drift\\\"");
    status = 409;
    answer = "{\"error_code\": 409, \"message\": \"Schema being registered is incompatible\"}";
    assertThatThrownBy(() -> client(Map.of()).register("m-value", Drift.getClassSchema()))
        .isInstanceOf(RegistryRefusalException.class)
        .hasMessage("the schema registry at http://127.0.0.1:" + server.getAddress().getPort()
            // qualified: the schema's full name, as the message names it
            + "/apis/ccompat/v7 refused registering io.gradstream.avro.Drift under subject "
            + "m-value: HTTP 409 (Schema being registered is incompatible)");
    status = 400;
    assertThatThrownBy(() -> client(Map.of()).register("m-value", Drift.getClassSchema()))
        .isInstanceOf(RegistryRefusalException.class);
    status = 500;
    assertThatThrownBy(() -> client(Map.of()).register("m-value", Drift.getClassSchema()))
        .isInstanceOf(RegistryUnavailableException.class);
  }

  /** Each version under the topic's subject, oldest first; its id behind its fingerprint. */
  @Test
  void aTopicsFramingRegistersEachVersionAndHeadsItsRecordsWithTheirIds() throws Exception {
    answer = "{\"id\": 7}";
    final Schema v1 = ReleasedSchemas.load(ReleasedSchemas.DRIFT_V1);
    final RegistryFraming framing = RegistryFraming.register(client(Map.of()), "drifts",
        List.of(v1, Drift.getClassSchema()));
    assertThat(seen).hasSize(2).allSatisfy(request -> assertThat(request)
        .startsWith("POST /apis/ccompat/v7/subjects/drifts-value/versions "));
    // the released version first, without the race's variant; the current one after it
    assertThat(seen.get(0)).doesNotContain("variant");
    assertThat(seen.get(1)).contains("variant");
    assertThat(framing.header(AvroValues.fingerprint(v1))).containsExactly(0, 0, 0, 0, 7);
    assertThatThrownBy(() -> framing.header(AvroValues.fingerprint(
        ReleasedSchemas.load(ReleasedSchemas.PREDICTION_V1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(" was registered under drifts-value");
  }

  @Test
  void aRegistryThatIsNotThereIsUnavailable() {
    final int port = server.getAddress().getPort();
    server.stop(0);
    assertThatThrownBy(() -> new RegistryClient(RegistrySettings.of("http://127.0.0.1:" + port,
        null, Map.of())).schema(1))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageStartingWith("the schema registry at http://127.0.0.1:" + port
            + " cannot be reached (schema 1): ");
  }

  @Test
  void badSettingsAreOneLineEach() {
    assertThatThrownBy(() -> RegistrySettings.of("registry:8081", null, Map.of()))
        .hasMessage("schema registry url must be http://HOST[:PORT][/PATH] or https://..., got "
            + "'registry:8081'");
    assertThatThrownBy(() -> RegistrySettings.of("http://r", null,
        Map.of(RegistrySettings.BASIC_AUTH_VARIABLE, "justauser")))
        .hasMessage("GRADSTREAM_SCHEMA_REGISTRY_BASIC_AUTH must be USER:PASSWORD");
    assertThatThrownBy(() -> RegistrySettings.of("http://r", Path.of("/nope.p12"),
        Map.of())).hasMessage("schema registry truststore /nope.p12 cannot be read");
    assertThat(RegistrySettings.of("https://r.example:8081/x/", null, Map.of()).url())
        .isEqualTo(URI.create("https://r.example:8081/x"));
    assertThat(RegistrySettings.of("http://r", null, Map.of(RegistrySettings.BASIC_AUTH_VARIABLE,
        "u:p")).basicAuth()).isEqualTo("u:p");
  }
}
