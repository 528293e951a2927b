package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gradstream.avro.LabeledEvent;
import io.gradstream.query.ModelJson;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Schema Registry the format tests run against is a real one that starts here: it registers
 * gradstream's event schema under a subject of the topic-name strategy, gives it an id, serves it
 * back by that id, and gives the same id when the same schema is registered again.
 */
class RegistryServerIT {
  @TempDir
  Path dir;

  @Test
  void theRegistryRegistersAndServesASchemaByItsId() throws Exception {
    try (RegistryServer registry = RegistryServer.start(dir.resolve("registry.log"))) {
      final String schema = LabeledEvent.getClassSchema().toString();
      final String body = ModelJson.MAPPER.createObjectNode().put("schema", schema).toString();
      final JsonNode registered = ModelJson.MAPPER.readTree(
          registry.post("/subjects/training-events-value/versions", body).body());
      final int id = registered.path("id").asInt(-1);
      assertThat(id).as(registered.toString()).isPositive();

      final JsonNode served = ModelJson.MAPPER.readTree(registry.get("/schemas/ids/" + id).body());
      assertThat(new Schema.Parser().parse(served.path("schema").asText()))
          .isEqualTo(LabeledEvent.getClassSchema());
      final JsonNode again = ModelJson.MAPPER.readTree(
          registry.post("/subjects/training-events-value/versions", body).body());
      assertThat(again.path("id").asInt()).isEqualTo(id);
      assertThat(ModelJson.MAPPER.readTree(registry.get("/subjects").body()).toString())
          .isEqualTo("[\"training-events-value\"]");
    }
  }
}
