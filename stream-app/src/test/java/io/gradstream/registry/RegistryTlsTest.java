package io.gradstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An https registry whose certificate only the given truststore trusts (made here with the JDK's
 * keytool): trusted with the truststore and its password, refused without it, and a password that
 * does not open the truststore is a bad setting.
 */
class RegistryTlsTest {
  private static final String PASSWORD = "changeit";

  @TempDir
  Path dir;
  private HttpsServer server;
  private Path truststore;

  @BeforeEach
  void start() throws Exception {
    final Path keystore = dir.resolve("registry.p12");
    truststore = dir.resolve("trust.p12");
    final Path cert = dir.resolve("registry.crt");
    keytool("-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD,
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-validity", "2");
    keytool("-exportcert", "-alias", "registry", "-keystore", keystore.toString(), "-storepass",
        PASSWORD, "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(),
        "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", PASSWORD);

    final KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(keystore.toFile())) {
      keys.load(in, PASSWORD.toCharArray());
    }
    final KeyManagerFactory managers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, PASSWORD.toCharArray());
    final SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(managers.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", exchange -> {
      final byte[] body = "{\"schema\": \"\\\"long\\\"\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void keytool(final String... args) throws Exception {
    final List<String> command = new ArrayList<>(List.of(Path.of(
        System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }

  private String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void theTruststoreIsTrustedAndNothingElse() throws Exception {
    final RegistryClient trusting = new RegistryClient(RegistrySettings.of(url(), truststore,
        Map.of(RegistrySettings.TRUSTSTORE_PASSWORD_VARIABLE, PASSWORD)));
    assertThat(trusting.schema(1).text()).isEqualTo("\"long\"");
    assertThatThrownBy(() -> new RegistryClient(RegistrySettings.of(url(), null, Map.of()))
        .schema(1)).isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("cannot be reached");
  }

  @Test
  void aPasswordThatDoesNotOpenTheTruststoreIsABadSetting() {
    assertThatThrownBy(() -> new RegistryClient(RegistrySettings.of(url(), truststore,
        Map.of(RegistrySettings.TRUSTSTORE_PASSWORD_VARIABLE, "wrong"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("schema registry truststore " + truststore
            + " cannot be opened: ");
  }
}
