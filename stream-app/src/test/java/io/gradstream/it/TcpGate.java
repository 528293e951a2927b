package io.gradstream.it;

import io.gradstream.demo.EmbeddedKafka;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A port that forwards every TCP connection to a server while it is open, and refuses them (no
 * one listens) while it is shut: a server that goes away and comes back, with its state intact.
 */
public final class TcpGate implements AutoCloseable {
  private final int port;
  private final int target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;

  private TcpGate(final int port, final int target) {
    this.port = port;
    this.target = target;
  }

  /** A shut gate on a free port of 127.0.0.1 before {@code target} (a port of 127.0.0.1). */
  public static TcpGate before(final int target) throws IOException {
    return new TcpGate(EmbeddedKafka.freePort(), target);
  }

  public int port() {
    return port;
  }

  /** Listens, and forwards each connection until either side closes it. */
  public synchronized void open() throws IOException {
    final ServerSocket listening = new ServerSocket();
    listening.setReuseAddress(true);
    listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    server = listening;
    final Thread accepting = new Thread(() -> {
      while (!listening.isClosed()) {
        try {
          final Socket in = listening.accept();
          final Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
          sockets.add(in);
          sockets.add(out);
          pump(in, out);
          pump(out, in);
        } catch (final IOException closed) {
          return;
        }
      }
    }, "tcp-gate-" + port);
    accepting.setDaemon(true);
    accepting.start();
  }

  /** Stops listening and cuts every forwarded connection. */
  public synchronized void shut() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
    for (final Socket socket : sockets) {
      socket.close();
    }
    sockets.clear();
  }

  private static void pump(final Socket from, final Socket to) {
    final Thread copying = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (final IOException cut) {
        // one side closed: the connection is over
      } finally {
        try {
          from.close();
          to.close();
        } catch (final IOException ignored) {
          // already closed
        }
      }
    }, "tcp-gate-pump");
    copying.setDaemon(true);
    copying.start();
  }

  @Override
  public void close() throws IOException {
    shut();
  }
}
