package io.gradstream.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the service's topics when they are missing, with the cluster's default partitions and
 * replication, so that a first start against an empty cluster just works. Topics that exist are
 * left as they are; a cluster that forbids creation is reported, not fatal.
 */
public final class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

  private TopicSetup() {}

  public static void ensureTopics(final Properties kafka, final List<String> topics)
      throws InterruptedException {
    final Properties adminProps = new Properties();
    adminProps.putAll(kafka);
    try (Admin admin = Admin.create(adminProps)) {
      final Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      final List<NewTopic> missing = new ArrayList<>();
      for (final String name : topics) {
        if (!existing.contains(name)) {
          missing.add(new NewTopic(name, Optional.empty(), Optional.empty()));
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      for (final var created : admin.createTopics(missing).values().entrySet()) {
        try {
          created.getValue().get(60, TimeUnit.SECONDS);
          LOG.info("created topic {}", created.getKey());
        } catch (final ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            LOG.warn("could not create topic {}: {}", created.getKey(), e.getCause().toString());
          }
        }
      }
    } catch (final ExecutionException | TimeoutException e) {
      LOG.warn("could not list topics to create the missing ones: {}", e.toString());
    }
  }
}
