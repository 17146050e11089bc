package io.keyhook.dispatcher.service;

import static io.keyhook.dispatcher.service.DeliveryFlowTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.crypto.LocalKeyFileCipher;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.dispatcher.Topics;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.dispatcher.view.SigningSecrets;
import io.keyhook.dispatcher.view.WebhookView;
import io.keyhook.testing.StubHttpServer;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 28, point 4: a receiver's access token is for that receiver only. Once a webhook's URL and token URL move to
 * another receiver, the next delivery fetches a token there and the first receiver's token never reaches the second.
 */
@QuarkusTest
class ReceiverTokenCacheTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A receiver with its own token endpoint (client_secret_basic) and a destination that wants its own token. */
    static final class Receiver {
        final String name;
        final AtomicInteger issued = new AtomicInteger();
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        volatile String expectedBasic = "none";
        volatile String current = "none";
        final StubHttpServer server;

        Receiver(String name) {
            this.name = name;
            this.server = new StubHttpServer(ex -> {
                ex.getRequestBody().readAllBytes();
                String auth = ex.getRequestHeaders().getFirst("authorization");
                if (ex.getRequestURI().getPath().equals("/token")) {
                    if (!expectedBasic.equals(auth)) {
                        StubHttpServer.respond(ex, 401, "{\"error\":\"invalid_client\"}");
                        return;
                    }
                    current = name + "-token-" + issued.incrementAndGet();
                    StubHttpServer.respond(ex, 200,
                            "{\"access_token\":\"" + current + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
                    return;
                }
                authorizations.add(String.valueOf(auth));
                StubHttpServer.respond(ex, ("Bearer " + current).equals(auth) ? 200 : 401, "{}");
            });
        }
    }

    @Inject
    DeliveryStore store;

    @Inject
    WebhookView view;

    @Inject
    SigningSecrets secrets;

    @Inject
    ReceiverTokens tokens;

    @Test
    void aTokenFromOneReceiverIsNeverSentToAnotherAfterTheUrlsChange() throws Exception {
        Receiver a = new Receiver("a");
        Receiver b = new Receiver("b");
        String env = "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        String clientId = SecretGenerator.newId("cl_");
        String secretId = SecretGenerator.newId("sec_");
        String secret = SecretGenerator.newSecret();
        String basic = "Basic "
                + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        a.expectedBasic = basic;
        b.expectedBasic = basic;
        String ciphertext = new LocalKeyFileCipher(Path.of("target/test-keys/secret-cipher.keys")).encryptNow(env,
                secret.getBytes(StandardCharsets.UTF_8));
        Topics.send("keyhook.credentials", clientId,
                "{\"schemaVersion\":1,\"kind\":\"api\",\"clientId\":\"" + clientId + "\",\"environment\":\"" + env
                        + "\",\"status\":\"active\",\"secrets\":[{\"id\":\"" + secretId
                        + "\",\"status\":\"active\",\"ciphertext\":\"" + ciphertext + "\"}]}");
        String id = SecretGenerator.newId("wh_");

        // both receivers on 127.0.0.1 (other ports): the same host, so each token URL is its destination's own
        publish(id, env, secretId, a.server.url() + "/in", a.server.url() + "/token", 1);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> view.webhook(id) != null && secrets.entry(secretId) != null);
        event(env, "rt-1", "patients.updated", "rt-1");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.count(id, "delivered").await().indefinitely() == 1);
        assertEquals(List.of("Bearer a-token-1"), a.authorizations);

        publish(id, env, secretId, b.server.url() + "/in", b.server.url() + "/token", 2);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> view.webhook(id).version() == 2);
        // the change of URLs dropped receiver a's token (not merely stopped using it)
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> tokens.cached(id) == 0);
        event(env, "rt-2", "patients.updated", "rt-2");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.count(id, "delivered").await().indefinitely() == 2);

        assertTrue(b.authorizations.stream().noneMatch(h -> h.startsWith("Bearer a-")),
                "receiver a's token reached receiver b: " + b.authorizations);
        assertEquals(List.of("Bearer b-token-1"), b.authorizations, "the first delivery to b carries b's token");
        assertEquals(1, b.issued.get());
        assertEquals(1, tokens.cached(id));
        assertEquals(List.of("Bearer a-token-1"), a.authorizations);
    }

    private static void publish(String id, String env, String secretId, String url, String tokenUrl, int version)
            throws Exception {
        Topics.send("keyhook.webhooks", id,
                JSON.writeValueAsString(
                        Map.of("schemaVersion", 1, "id", id, "environment", env, "url", url, "notificationTypes",
                                List.of("patients.updated"), "paused", false, "security", Map.of("method",
                                        "token-exchange", "secretIds", List.of(secretId), "tokenUrl", tokenUrl),
                                "version", version)));
    }
}
