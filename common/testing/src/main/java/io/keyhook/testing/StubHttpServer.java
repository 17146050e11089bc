package io.keyhook.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on a free loopback port, started on first use, for stubs of services a test must steer (never a
 * replacement for our own infrastructure).
 */
public final class StubHttpServer {

    private final HttpHandler handler;
    private HttpServer server;

    public StubHttpServer(HttpHandler handler) {
        this.handler = handler;
    }

    /** The base URL, starting the server on first call. */
    public synchronized String url() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", handler);
            // a thread per exchange, so a stub told to answer slowly does not hold up the requests after it
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "stub-http");
                t.setDaemon(true);
                return t;
            }));
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Writes a JSON (2xx) or problem+json (otherwise) answer; 204 has no body. */
    public static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", status < 300 ? "application/json" : "application/problem+json");
        if (status == 204) {
            ex.sendResponseHeaders(204, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
