package io.gradstream.replay;

import com.fasterxml.jackson.core.StreamWriteFeature;
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
