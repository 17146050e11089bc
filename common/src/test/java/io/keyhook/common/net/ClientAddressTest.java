package io.keyhook.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.keyhook.common.config.HttpConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * {@link ClientAddress} on a real HTTP server, behind a trusted proxy on 127.0.0.1: every line of the configured
 * forwarding header counts, and the other header is ignored (issue 28, point 1).
 */
class ClientAddressTest {

    private static Vertx vertx;
    private static HttpServer xffServer;
    private static HttpServer forwardedServer;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        xffServer = serve(new ClientAddress(config("x-forwarded-for")));
        forwardedServer = serve(new ClientAddress(config("forwarded")));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void everyXForwardedForLineCountsSoTheClientsOwnFirstLineDoesNot() throws Exception {
        assertEquals("198.51.100.7",
                sourceSeenBy(xffServer, "X-Forwarded-For: 203.0.113.9", "X-Forwarded-For: 198.51.100.7"));
    }

    @Test
    void withForwardedConfiguredTheClientsXForwardedForIsIgnored() throws Exception {
        assertEquals("198.51.100.8",
                sourceSeenBy(forwardedServer, "Forwarded: for=198.51.100.8", "X-Forwarded-For: 203.0.113.10"));
        assertEquals("198.51.100.8",
                sourceSeenBy(forwardedServer, "X-Forwarded-For: 203.0.113.10", "Forwarded: for=198.51.100.8"));
        // and the other way round: with X-Forwarded-For configured, a Forwarded header is the client's
        assertEquals("198.51.100.9",
                sourceSeenBy(xffServer, "Forwarded: for=203.0.113.11", "X-Forwarded-For: 198.51.100.9"));
    }

    @Test
    void aNameIsNeverAnAddress() throws Exception {
        assertEquals("127.0.0.1", sourceSeenBy(xffServer, "X-Forwarded-For: cafe.bad"));
    }

    private static HttpServer serve(ClientAddress addresses) throws Exception {
        return vertx.createHttpServer().requestHandler(r -> r.response().end(addresses.of(r))).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Sent over a raw socket, so repeated header lines reach the server exactly as written. */
    private static String sourceSeenBy(HttpServer server, String... headerLines) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
            s.setSoTimeout(10_000);
            String request = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + String.join("\r\n", headerLines) + "\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return answer.substring(answer.indexOf("\r\n\r\n") + 4);
        }
    }

    private static HttpConfig config(String header) {
        return new HttpConfig() {
            @Override
            public Optional<String> trustedProxies() {
                return Optional.of("127.0.0.1");
            }

            @Override
            public String forwardedHeader() {
                return header;
            }

            @Override
            public long maxRequestBody() {
                return 65536;
            }
        };
    }
}
