package io.keyhook.e2e;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.standardwebhooks.Webhook;

import io.keyhook.testing.StubHttpServer;

/**
 * A receiver run by an integration's operator (a third party, so a stub is fine): it accepts a delivery when any of the
 * signing keys it was given verifies it, with the reference Standard Webhooks library. Keys are added and dropped over
 * HTTP ({@code PUT /keys/{id}}, {@code DELETE /keys/{id}}), as the browser test's "receiver" steps do.
 */
final class VerifyingReceiver {

    record Key(String id, String value) {
    }

    final List<Key> keys = new CopyOnWriteArrayList<>();
    final AtomicInteger verified = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    private final StubHttpServer server;

    VerifyingReceiver() {
        server = new StubHttpServer(ex -> {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (path.startsWith("/keys/") && "PUT".equals(method)) {
                String id = path.substring("/keys/".length());
                keys.removeIf(k -> k.id().equals(id));
                keys.add(new Key(id, new String(body, StandardCharsets.UTF_8).trim()));
                StubHttpServer.respond(ex, 204, "");
            } else if (path.startsWith("/keys/") && "DELETE".equals(method)) {
                String id = path.substring("/keys/".length());
                keys.removeIf(k -> k.id().equals(id));
                StubHttpServer.respond(ex, 204, "");
            } else if (path.equals("/stats")) {
                StubHttpServer.respond(ex, 200, "{\"verified\":" + verified.get() + ",\"failed\":" + failed.get()
                        + ",\"keys\":" + keys.size() + "}");
            } else if (path.equals("/hooks")) {
                boolean ok = keys.stream().anyMatch(k -> {
                    try {
                        new Webhook(k.value()).verify(new String(body, StandardCharsets.UTF_8), Map.of("webhook-id",
                                List.of(ex.getRequestHeaders().getFirst("webhook-id")), "webhook-timestamp",
                                List.of(ex.getRequestHeaders().getFirst("webhook-timestamp")), "webhook-signature",
                                List.of(ex.getRequestHeaders().getFirst("webhook-signature"))));
                        return true;
                    } catch (Exception e) {
                        return false;
                    }
                });
                (ok ? verified : failed).incrementAndGet();
                StubHttpServer.respond(ex, ok ? 204 : 401, ok ? "" : "{\"title\":\"signature does not verify\"}");
            } else {
                StubHttpServer.respond(ex, 404, "{\"title\":\"no such path\"}");
            }
        });
    }

    String url() {
        return server.url();
    }
}
