package io.gradstream.replay;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.learn.Model;

/**
 * A model as PRODUCT.md's replay output writes it: {@code {"w": [..], "b": <number|null>, "count":
 * n, "lossSum": s}}. {@code GET /models/{key}} answers with the same object. Doubles are written
 * in their shortest round-trip form, so the JSON carries the exact weights.
 */
public final class ModelJson {
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build();

  private ModelJson() {}

  /** The model a JSON object of {@link #of} describes. */
  public static Model parse(final JsonNode node) {
    final JsonNode w = node.get("w");
    final double[] weights = new double[w.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = w.get(i).doubleValue();
    }
    final JsonNode b = node.get("b");
    final boolean hasBias = b != null && !b.isNull();
    return new Model(weights, hasBias, hasBias ? b.doubleValue() : 0.0,
        node.get("count").longValue(), node.get("lossSum").doubleValue());
  }

  public static ObjectNode of(final Model model) {
    final ObjectNode node = MAPPER.createObjectNode();
    final ArrayNode w = node.putArray("w");
    for (final double wi : model.weights()) {
      w.add(wi);
    }
    if (model.hasBias()) {
      node.put("b", model.bias());
    } else {
      node.putNull("b");
    }
    node.put("count", model.count());
    node.put("lossSum", model.lossSum());
    return node;
  }
}
