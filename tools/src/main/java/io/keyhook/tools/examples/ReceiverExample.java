package io.keyhook.tools.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The minimal complete receiver of docs/verifying-webhooks.md (standard-webhooks), as compiled code: the text between
 * the markers is the page's Java receiver (DocsSnippetsTest keeps them equal), and e2e-tests' VerifyingDocsE2ETest runs
 * it against real deliveries signed during a rotation, and against forged ones.
 */
public final class ReceiverExample {

    private ReceiverExample() {
    }

    // docs:begin receiver
    /**
     * Starts the receiver on {@code port} at {@code /keyhook}. {@code secrets}: every signing secret accepted, as shown
     * when created ("whsec_…"): one, or two during a rotation. {@code handle} gets each verified body, once.
     */
    public static HttpServer start(int port, List<String> secrets, Consumer<byte[]> handle) throws IOException {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/keyhook", exchange -> {
            byte[] rawBody = exchange.getRequestBody().readNBytes(1 << 20); // the bytes as sent, before any parsing
            Map<String, List<String>> headers = Map.of("webhook-id", List.of(header(exchange, "webhook-id")),
                    "webhook-timestamp", List.of(header(exchange, "webhook-timestamp")), "webhook-signature",
                    List.of(header(exchange, "webhook-signature")));
            boolean verified = secrets.stream().anyMatch(secret -> {
                try {
                    new Webhook(secret).verify(new String(rawBody, StandardCharsets.UTF_8), headers);
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            exchange.sendResponseHeaders(verified ? 204 : 401, -1); // answer first, work afterwards
            exchange.close();
            if (verified && seen.add(header(exchange, "webhook-id"))) { // at least once: skip repeats
                handle.accept(rawBody); // e.g. fetch data.href with your own access token
            }
        });
        server.start();
        return server;
    }

    private static String header(HttpExchange exchange, String name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? "" : value;
    }
    // docs:end
}
