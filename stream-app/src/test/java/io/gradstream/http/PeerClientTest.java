package io.gradstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.query.ModelLookup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The key list asks every instance at once and waits at most the peer timeout: a peer that
 * accepts connections but never answers (a hung JVM), or that is gone, is named, not waited for.
 */
class PeerClientTest {
  @Test
  void aHungOrGonePeerIsNamedAndTheOthersKeysAreKept() throws Exception {
    final ModelLookup healthy = new ModelLookup() {
      @Override
      public Optional<Model> find(final String key, final boolean localOnly) {
        return Optional.empty();
      }

      @Override
      public Keys keys(final boolean localOnly) {
        assertThat(localOnly).as("a peer is asked for its own keys").isTrue();
        return Keys.complete(List.of("a", "b"));
      }
    };
    final List<Socket> accepted = new ArrayList<>();
    try (HttpApi peer = HttpApi.serving(null, 0, () -> "",
            ServiceRoutes.models(() -> true, healthy, ModelSpec.defaults(1)));
        ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      final int gone = closed.getLocalPort();
      closed.close();
      final Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(hung.accept()); // and never a byte back
          }
        } catch (final IOException e) {
          // closed at the end of the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      final String hungPeer = "127.0.0.1:" + hung.getLocalPort();
      final long start = System.nanoTime();
      final ModelLookup.Keys keys = new PeerClient().keys(List.of(hungPeer,
          "localhost:" + peer.port(), "127.0.0.1:" + gone));
      final double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(keys.keys()).containsExactly("a", "b");
      assertThat(keys.unanswered()).containsExactly(hungPeer, "127.0.0.1:" + gone);
      assertThat(accepted).as("the hung peer was reached").isNotEmpty();
      // all at once: about one timeout for both failures together, not one each
      assertThat(seconds).isLessThan(2 * PeerClient.TIMEOUT.toSeconds() + 1.0);
    } finally {
      for (final Socket s : accepted) {
        s.close();
      }
    }
  }
}
