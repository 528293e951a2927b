package io.gradstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.events.ModelControl;
import io.gradstream.learn.Activation;
import io.gradstream.learn.ModelSpec;
import io.gradstream.query.ModelLookup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** POST /models/{key}/reset and DELETE /models/{key}: off by default, and only with the token. */
class ModelAdminHttpTest {
  private static final ModelSpec SPEC = new ModelSpec(1, true, Activation.IDENTITY, 0.1, null,
      0.0);
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private final List<String> sent = new ArrayList<>();
  private final ModelLookup none = new NoModels();
  private HttpApi api;

  @AfterEach
  void stop() {
    api.close();
  }

  private HttpApi start(final ModelAdmin.Access admin) throws Exception {
    api = HttpApi.serving(null, 0, () -> "",
        ServiceRoutes.models(() -> true, none, SPEC).withAdmin(admin));
    return api;
  }

  private HttpResponse<String> send(final String method, final String path, final String token)
      throws Exception {
    final HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://localhost:" + api.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void offUnlessStartedWithTheAdminApi() throws Exception {
    start(null);
    final HttpResponse<String> r = send("POST", "/models/k/reset", "anything");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("--admin-api").contains("GRADSTREAM_ADMIN_TOKEN");
    assertThat(send("DELETE", "/models/k", "anything").statusCode()).isEqualTo(403);
  }

  @Test
  void onlyTheTokenSendsAControlRecordForTheKey() throws Exception {
    start(new ModelAdmin.Access((key, action) -> {
      sent.add(action.code() + " " + key);
      return new ModelAdmin.Sent("training-events", 2, 41 + sent.size());
    }, "s3cret-token"));
    for (final String token :
        new String[] {null, "wrong", "s3cret-toke", "S3cret-token", "s3cret-tokenn"}) {
      final HttpResponse<String> r = send("POST", "/models/k/reset", token);
      assertThat(r.statusCode()).as(token).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"gradstream\"");
    }
    assertThat(sent).isEmpty();

    final HttpResponse<String> reset = send("POST", "/models/sensor%2F7/reset", "s3cret-token");
    assertThat(reset.statusCode()).isEqualTo(202);
    final JsonNode body = new ObjectMapper().readTree(reset.body());
    assertThat(body.get("key").asText()).isEqualTo("sensor/7");
    assertThat(body.get("action").asText()).isEqualTo("reset");
    assertThat(body.get("partition").asInt()).isEqualTo(2);
    assertThat(body.get("offset").asLong()).isEqualTo(42);
    assertThat(send("DELETE", "/models/a%20b", "s3cret-token").statusCode()).isEqualTo(202);
    assertThat(sent).containsExactly("reset sensor/7", "delete a b");
    // on the same connection, a token that differs in case only is not the token (Jetty's header
    // cache would read it as the one before)
    assertThat(send("POST", "/models/k/reset", "S3CRET-TOKEN").statusCode()).isEqualTo(401);
    assertThat(sent).hasSize(2);
    // nothing else is an admin action
    assertThat(send("PUT", "/models/k", "s3cret-token").statusCode()).isEqualTo(405);
    assertThat(ModelControl.of("reset")).isEqualTo(ModelControl.RESET);
  }

  /** GRADSTREAM_HTTP_TOKEN: predictions only for whoever shows it; reading models stays open. */
  @Test
  void predictionsCanRequireATokenOfTheirOwn() throws Exception {
    api = new HttpApi(null, 0, () -> "", () -> "starting");
    api.attach(ServiceRoutes.models(() -> true, none, SPEC).withPredictToken("predict-token"));
    final HttpRequest.Builder predict = HttpRequest.newBuilder(URI.create("http://localhost:"
        + api.port() + "/models/k/predict")).POST(HttpRequest.BodyPublishers.ofString(
        "{\"x\": [0.5]}"));
    final HttpResponse<String> refused = CLIENT.send(predict.build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("GRADSTREAM_HTTP_TOKEN");
    final HttpResponse<String> served = CLIENT.send(predict.header("Authorization",
        "Bearer predict-token").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    assertThat(new ObjectMapper().readTree(served.body()).get("y").asDouble())
        .isZero(); // the initial model: w = b = 0
    assertThat(send("GET", "/models", null).statusCode()).isEqualTo(200);
  }

  @Test
  void kafkaNotTakingTheRecordIs503() throws Exception {
    start(new ModelAdmin.Access((key, action) -> {
      throw new ModelLookup.UnavailableException("Kafka did not take the control record: "
          + "timeout", null);
    }, "t"));
    final HttpResponse<String> r = send("DELETE", "/models/k", "t");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("Kafka did not take the control record");
  }
}
