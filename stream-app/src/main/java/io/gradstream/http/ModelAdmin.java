package io.gradstream.http;

import io.gradstream.events.ModelControl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Operators' actions on single models ({@code POST /models/{key}/reset}, {@code DELETE
 * /models/{key}}), offered with {@code --admin-api}. The HTTP thread never writes to the store: it
 * sends a control record to the input topic under the key, which the stream applies in order with
 * the key's events, exactly once, as replay does.
 */
public interface ModelAdmin {
  /** Where the control record landed. */
  record Sent(String topic, int partition, long offset) {}

  /** Sends {@code action} for {@code key}; returns once Kafka has acknowledged it. */
  Sent send(String key, ModelControl action) throws Exception;

  /**
   * @param admin the actions
   * @param token the bearer token a request must carry ({@code GRADSTREAM_ADMIN_TOKEN})
   */
  record Access(ModelAdmin admin, String token) {
    public Access {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("admin api needs a bearer token in "
            + "GRADSTREAM_ADMIN_TOKEN");
      }
    }

    /** Whether {@code authorization} (the header's value) carries the token, in constant time. */
    boolean allows(final String authorization) {
      return bearer(token, authorization);
    }
  }

  /** Whether {@code authorization} is "Bearer {@code token}", compared in constant time. */
  static boolean bearer(final String token, final String authorization) {
    return authorization != null && MessageDigest.isEqual(
        authorization.getBytes(StandardCharsets.UTF_8),
        ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
  }
}
