package io.gradstream.cli;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;

/** Whether a client command can reach Kafka at all, asked once before it starts its work. */
final class KafkaReach {
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private KafkaReach() {}

  /** Why Kafka cannot be reached with {@code kafka}'s client settings, or null when it can. */
  static String problem(final Properties kafka) throws InterruptedException {
    return problem(kafka, TIMEOUT);
  }

  /** As {@link #problem(Properties)}, waiting at most {@code timeout}. */
  static String problem(final Properties kafka, final Duration timeout)
      throws InterruptedException {
    final Properties props = new Properties();
    props.putAll(kafka);
    final String millis = Long.toString(timeout.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (final ExecutionException e) {
      return e.getCause().getMessage();
    } catch (final TimeoutException e) {
      return "no answer within " + timeout.toSeconds() + " s";
    } catch (final KafkaException e) {
      return e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
    }
  }
}
