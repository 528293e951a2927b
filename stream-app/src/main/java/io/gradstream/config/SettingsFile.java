package io.gradstream.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A properties file given with {@code --config}: keys named like gradstream's long options without
 * the dashes ({@code learning-rate=0.05}) set those options; keys with a dot are Kafka client or
 * Streams properties ({@code sasl.mechanism=PLAIN}), so an existing client.properties can be pasted
 * in as it is.
 */
public final class SettingsFile {
  private final String name;
  private final Map<String, String> gradstream;
  private final Map<String, String> kafka;

  private SettingsFile(final String name, final Map<String, String> gradstream,
      final Map<String, String> kafka) {
    this.name = name;
    this.gradstream = gradstream;
    this.kafka = kafka;
  }

  public static SettingsFile empty() {
    return new SettingsFile("", Map.of(), Map.of());
  }

  public static SettingsFile read(final Path path) throws IOException {
    final Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      props.load(in);
    }
    final Map<String, String> ours = new TreeMap<>();
    final Map<String, String> kafka = new TreeMap<>();
    for (final String name : props.stringPropertyNames()) {
      (name.contains(".") ? kafka : ours).put(name, props.getProperty(name).trim());
    }
    return new SettingsFile(path.toString(), ours, kafka);
  }

  /** The path it was read from, as given. */
  public String name() {
    return name;
  }

  /** gradstream settings by option name without dashes ("learning-rate"). */
  public Map<String, String> gradstream() {
    return gradstream;
  }

  /** Kafka properties, by their Kafka names. */
  public Map<String, String> kafka() {
    return kafka;
  }
}
