package io.gradstream.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The live page's files, read from the jar once: the page, its script and stylesheet, and uPlot
 * (the chart library, from its WebJar). Nothing is fetched from the network, so the page works
 * offline.
 */
public final class PageAssets {
  /** A file of the page: its bytes and content type. */
  public record Asset(byte[] bytes, String contentType) {}

  private final Map<String, Asset> byPath;

  private PageAssets(final Map<String, Asset> byPath) {
    this.byPath = byPath;
  }

  public static PageAssets load() {
    final String uplot = "/META-INF/resources/webjars/uplot/" + webJarVersion("uplot") + "/dist/";
    final Asset page = read("/io/gradstream/ui/index.html", "text/html; charset=utf-8");
    return new PageAssets(Map.of(
        "/", page,
        "/ui", page,
        "/ui/", page,
        "/ui/app.js", read("/io/gradstream/ui/app.js", "text/javascript; charset=utf-8"),
        "/ui/style.css", read("/io/gradstream/ui/style.css", "text/css; charset=utf-8"),
        "/ui/uPlot.min.js", read(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
        "/ui/uPlot.min.css", read(uplot + "uPlot.min.css", "text/css; charset=utf-8")));
  }

  /** The file served at {@code path}, or null. */
  public Asset at(final String path) {
    return byPath.get(path);
  }

  private static String webJarVersion(final String artifact) {
    try (InputStream in = PageAssets.class.getResourceAsStream(
        "/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the " + artifact + " WebJar is not on the class path");
      }
      final Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Asset read(final String resource, final String contentType) {
    try (InputStream in = PageAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not in the jar");
      }
      return new Asset(in.readAllBytes(), contentType);
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
