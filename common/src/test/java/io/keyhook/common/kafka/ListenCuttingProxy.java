package io.keyhook.common.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of PostgreSQL that passes everything through but cuts a connection the moment it carries a
 * {@code LISTEN}: what sits between a service and its database and does not support {@code LISTEN} (a pooler in
 * transaction mode) looks like this to the client, a LISTEN that fails.
 */
final class ListenCuttingProxy implements AutoCloseable {

    private static final byte[] LISTEN = "LISTEN ".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final String host;
    private final int port;
    private final AtomicInteger cut = new AtomicInteger();

    ListenCuttingProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "listen-cutting-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections cut because they sent a LISTEN. */
    int cut() {
        return cut.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(host, port);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean inspect) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) > 0;) {
                    if (inspect && contains(buffer, n)) {
                        cut.incrementAndGet();
                        break;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side went
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "listen-cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static boolean contains(byte[] buffer, int length) {
        outer: for (int i = 0; i + LISTEN.length <= length; i++) {
            for (int j = 0; j < LISTEN.length; j++) {
                if (buffer[i + j] != LISTEN[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
