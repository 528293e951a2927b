package io.gradstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A kustomization of deploy/ as {@code kubectl kustomize} renders it: what Kubernetes applies. */
record RenderedManifests(String yaml, List<JsonNode> objects) {
  private static final ObjectMapper YAML = new YAMLMapper();

  static RenderedManifests render(final Path kustomization) throws Exception {
    final String yaml = Commands.run(null, "kubectl", "kustomize", kustomization.toString());
    final List<JsonNode> objects = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(yaml)) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(objects::add);
    }
    return new RenderedManifests(yaml, objects);
  }

  /** The one object of {@code kind}. */
  JsonNode one(final String kind) {
    final List<JsonNode> found = objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind)).toList();
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  /** The StatefulSet's first container. */
  JsonNode container() {
    return one("StatefulSet").at("/spec/template/spec/containers/0");
  }

  /**
   * The container's environment: its ConfigMaps' data, then its own env entries (as written:
   * a fieldRef's value is null, and $(NAME) references are not expanded).
   */
  Map<String, String> environment(final JsonNode container) {
    final Map<String, String> env = new HashMap<>();
    for (final JsonNode from : container.path("envFrom")) {
      final String name = from.at("/configMapRef/name").asText();
      final JsonNode map = objects.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
          && o.at("/metadata/name").asText().equals(name)).findFirst()
          .orElseThrow(() -> new AssertionError("envFrom names a missing ConfigMap " + name));
      map.path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    }
    for (final JsonNode e : container.path("env")) {
      env.put(e.get("name").asText(), e.path("value").asText(null));
    }
    return env;
  }
}
