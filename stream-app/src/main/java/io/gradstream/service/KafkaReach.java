package io.gradstream.service;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;

/** Whether a client command can reach Kafka at all, asked once before it starts its work. */
public final class KafkaReach {
  public static final Duration TIMEOUT = Duration.ofSeconds(15);

  private KafkaReach() {}

  /** Kafka's answer: the cluster's id, or why it could not be reached. */
  public record Answer(String clusterId, String problem) {}

  /** Why Kafka cannot be reached with {@code kafka}'s client settings, or null when it can. */
  public static String problem(final Properties kafka) throws InterruptedException {
    return ask(kafka, TIMEOUT).problem();
  }

  /** Asks the cluster of {@code kafka}'s client settings for its id, waiting at most timeout. */
  public static Answer ask(final Properties kafka, final Duration timeout)
      throws InterruptedException {
    final Properties props = new Properties();
    props.putAll(kafka);
    final String millis = Long.toString(timeout.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    try (Admin admin = Admin.create(props)) {
      return new Answer(admin.describeCluster().clusterId()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS), null);
    } catch (final ExecutionException e) {
      return new Answer(null, e.getCause().getMessage());
    } catch (final TimeoutException e) {
      return new Answer(null, "no answer within " + timeout.toSeconds() + " s");
    } catch (final KafkaException e) {
      return new Answer(null, e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
    }
  }
}
