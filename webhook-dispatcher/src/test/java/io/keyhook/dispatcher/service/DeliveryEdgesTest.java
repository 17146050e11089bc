package io.keyhook.dispatcher.service;

import static io.keyhook.dispatcher.service.DeliveryFlowTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.crypto.LocalKeyFileCipher;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.dispatcher.DispatcherViews;
import io.keyhook.dispatcher.persistence.DeliveryLog;
import io.keyhook.dispatcher.persistence.DeliveryRetention;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.testing.StubHttpServer;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The edges of an attempt: token-exchange (token cached, fetched again after a 401), redirects not followed, a
 * destination in a forbidden range refused at connect time, response bodies capped in the log, held deliveries expiring
 * visibly.
 */
@QuarkusTest
public class DeliveryEdgesTest {

    /** The delivery waits below measure deliveries, not the event consumer's first group join. */
    @BeforeEach
    void eventConsumerReads() {
        DispatcherViews.awaitEventConsumer();
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger TOKENS_ISSUED = new AtomicInteger();
    static volatile String currentToken = "none";
    static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    static final List<String> PATHS = new CopyOnWriteArrayList<>();
    static final Map<String, String> BASIC = new java.util.concurrent.ConcurrentHashMap<>();

    static final StubHttpServer RECEIVER = new StubHttpServer(ex -> {
        String path = ex.getRequestURI().getPath();
        ex.getRequestBody().readAllBytes();
        PATHS.add(path);
        switch (path) {
        case "/token" -> {
            // the receiver's own OAuth token endpoint: client_secret_basic
            String auth = ex.getRequestHeaders().getFirst("authorization");
            if (auth == null || !auth.equals(BASIC.get("expected"))) {
                StubHttpServer.respond(ex, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            currentToken = "tok-" + TOKENS_ISSUED.incrementAndGet();
            StubHttpServer.respond(ex, 200,
                    "{\"access_token\":\"" + currentToken + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        }
        case "/tx" -> {
            String auth = ex.getRequestHeaders().getFirst("authorization");
            AUTHORIZATIONS.add(auth);
            StubHttpServer.respond(ex, ("Bearer " + currentToken).equals(auth) ? 200 : 401, "{}");
        }
        case "/redirect" -> {
            ex.getResponseHeaders().add("location", "/moved");
            StubHttpServer.respond(ex, 302, "");
        }
        case "/chatty" -> StubHttpServer.respond(ex, 500, "x".repeat(100_000));
        default -> StubHttpServer.respond(ex, 200, "{}");
        }
    });

    @Inject
    DeliveryStore store;

    @Inject
    DeliveryLog deliveryLog;

    @Inject
    DeliveryRetention retention;

    @Inject
    DispatcherHousekeeping housekeeping;

    /** A client, its secret and a webhook with the given security method: {Environment, webhook id}. */
    static String[] webhook(String url, String method, String tokenUrl, boolean paused) throws Exception {
        String env = "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        String secret = SecretGenerator.newSecret();
        String clientId = SecretGenerator.newId("cl_");
        String secretId = SecretGenerator.newId("sec_");
        BASIC.put("expected", "Basic "
                + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        String ciphertext = new LocalKeyFileCipher(Path.of("target/test-keys/secret-cipher.keys")).encryptNow(env,
                secret.getBytes(StandardCharsets.UTF_8));
        io.keyhook.dispatcher.Topics.send("keyhook.credentials", clientId,
                "{\"schemaVersion\":1,\"kind\":\"api\",\"clientId\":\"" + clientId + "\",\"environment\":\"" + env
                        + "\",\"status\":\"active\",\"secrets\":[{\"id\":\"" + secretId
                        + "\",\"status\":\"active\",\"ciphertext\":\"" + ciphertext + "\"}]}");
        String id = SecretGenerator.newId("wh_");
        Map<String, Object> security = tokenUrl == null ? Map.of("method", method, "secretIds", List.of(secretId))
                : Map.of("method", method, "secretIds", List.of(secretId), "tokenUrl", tokenUrl);
        io.keyhook.dispatcher.Topics.send("keyhook.webhooks", id,
                JSON.writeValueAsString(
                        Map.of("schemaVersion", 1, "id", id, "environment", env, "url", url, "notificationTypes",
                                List.of("patients.updated"), "paused", paused, "security", security, "version", 1)));
        DispatcherViews.awaitWebhookAndSecret(id, 1, secretId);
        return new String[] { env, id };
    }

    @Test
    void tokenExchangeCachesTheReceiversTokenAndFetchesANewOneAfterA401() throws Exception {
        String[] w = webhook(RECEIVER.url() + "/tx", "token-exchange", RECEIVER.url() + "/token", false);
        int issuedBefore = TOKENS_ISSUED.get();
        event(w[0], "tx1", "patients.updated", "t-1");
        event(w[0], "tx2", "patients.updated", "t-2");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> store.count(w[1], "delivered").await().indefinitely() == 2);
        assertEquals(issuedBefore + 1, TOKENS_ISSUED.get(), "one token for both deliveries");
        // the receiver revokes its token: the next delivery is refused once, then a new token is fetched
        currentToken = "revoked";
        event(w[0], "tx3", "patients.updated", "t-3");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> store.count(w[1], "delivered").await().indefinitely() == 3);
        assertEquals(issuedBefore + 2, TOKENS_ISSUED.get());
        assertEquals("Bearer tok-" + (issuedBefore + 2), AUTHORIZATIONS.get(AUTHORIZATIONS.size() - 1));
        assertTrue(AUTHORIZATIONS.contains("Bearer tok-" + (issuedBefore + 1)));
    }

    @Test
    void tokenExchangeNeverSendsTheSecretOffTheReceiversSiteAndAuditsEveryUse() throws Exception {
        // issue 14: the token URL is another host than the destination: the secret is withheld, not sent
        String stolenUrl = RECEIVER.url().replace("127.0.0.1", "localhost") + "/token";
        String[] foreign = webhook(RECEIVER.url() + "/tx", "token-exchange", stolenUrl, false);
        int before = TOKENS_ISSUED.get();
        long tokenCallsBefore = PATHS.stream().filter("/token"::equals).count();
        event(foreign[0], "stolen1", "patients.updated", "s-1");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> RestAssured.given().auth().oauth2(TestTokens.admin(foreign[0]))
                        .get("/api/v1/environments/" + foreign[0] + "/audit").jsonPath().getList("items.action")
                        .contains("secret.withheld"));
        assertEquals(before, TOKENS_ISSUED.get(), "no token was requested with the secret");
        assertEquals(tokenCallsBefore, PATHS.stream().filter("/token"::equals).count(), "nothing reached /token");
        assertEquals(0, store.count(foreign[1], "delivered").await().indefinitely());

        // the receiver's own token URL: the use is audited
        String[] own = webhook(RECEIVER.url() + "/tx", "token-exchange", RECEIVER.url() + "/token", false);
        event(own[0], "own1", "patients.updated", "o-1");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> store.count(own[1], "delivered").await().indefinitely() == 1);
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> RestAssured.given().auth().oauth2(TestTokens.admin(own[0]))
                        .get("/api/v1/environments/" + own[0] + "/audit").jsonPath().getList("items.action")
                        .contains("secret.sent"));
        RestAssured.given().auth().oauth2(TestTokens.admin("elsewhere"))
                .get("/api/v1/environments/" + own[0] + "/audit").then().statusCode(404);
    }

    @Test
    void redirectsAreNotFollowedAndCountAsFailedAttempts() throws Exception {
        String[] w = webhook(RECEIVER.url() + "/redirect", "standard-webhooks", null, false);
        event(w[0], "r1", "patients.updated", "r-1");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> deliveryLog.attempts(deliveryId(w)).await()
                .indefinitely().stream().anyMatch(a -> a.statusCode() != null && a.statusCode() == 302));
        assertTrue(!PATHS.contains("/moved"), "the Location was not followed");
    }

    @Test
    void aDestinationInAForbiddenRangeIsRefusedAtConnectTime() throws Exception {
        // published straight to the topic, so webhook-config-service's check never saw it
        String[] w = webhook("http://169.254.169.254/latest/meta-data", "standard-webhooks", null, false);
        event(w[0], "m1", "patients.updated", "m-1");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !deliveryLog.attempts(deliveryId(w)).await().indefinitely().isEmpty());
        var attempt = deliveryLog.attempts(deliveryId(w)).await().indefinitely().get(0);
        assertEquals(null, attempt.statusCode(), "nothing was sent");
        assertTrue(attempt.error().contains("not a public address"), attempt.error());
    }

    @Test
    void responseBodiesAreCappedInTheLog() throws Exception {
        String[] w = webhook(RECEIVER.url() + "/chatty", "standard-webhooks", null, false);
        event(w[0], "c1", "patients.updated", "c-1");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !deliveryLog.attempts(deliveryId(w)).await().indefinitely().isEmpty());
        String response = deliveryLog.attempts(deliveryId(w)).await().indefinitely().get(0).response();
        assertEquals(4096, response.length(), "max-response-bytes");
    }

    @Test
    void heldDeliveriesExpireVisiblyAndTheLogIsPrunedAfterItsRetention() throws Exception {
        String[] w = webhook(RECEIVER.url() + "/held", "standard-webhooks", null, true);
        event(w[0], "x1", "patients.updated", "x-1");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> store.count(w[1], "held").await().indefinitely() == 1);
        // as the housekeeping would after 72 h
        assertTrue(housekeeping.expireHeldBefore(Instant.now().plusSeconds(1)).await().indefinitely() >= 1);
        RestAssured.given().auth().oauth2(TestTokens.admin(w[0]))
                .get("/api/v1/environments/" + w[0] + "/webhooks/" + w[1] + "/deliveries?status=expired").then()
                .statusCode(200).body("items.size()", org.hamcrest.Matchers.equalTo(1));
        // and the delivery log's retention removes finished deliveries older than it (as the housekeeping would)
        assertTrue(retention.pruneFinished(Instant.now().plusSeconds(1), 100_000).await().indefinitely() >= 1);
        RestAssured.given().auth().oauth2(TestTokens.admin(w[0]))
                .get("/api/v1/environments/" + w[0] + "/webhooks/" + w[1] + "/deliveries").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
    }

    /** Remedy 1 of docs/capacity.md: successes can be kept for less time than the failures worth investigating. */
    @Test
    void successfulDeliveriesCanBePrunedBeforeTheOthers() throws Exception {
        String[] ok = webhook(RECEIVER.url() + "/fine", "standard-webhooks", null, false);
        String[] held = webhook(RECEIVER.url() + "/held-too", "standard-webhooks", null, true);
        event(ok[0], "s1", "patients.updated", "s-1");
        event(held[0], "s2", "patients.updated", "s-2");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> store.count(ok[1], "delivered").await().indefinitely() == 1
                        && store.count(held[1], "held").await().indefinitely() == 1);
        housekeeping.expireHeldBefore(Instant.now().plusSeconds(1)).await().indefinitely();
        assertEquals(1L, store.count(held[1], "expired").await().indefinitely());
        assertTrue(retention.pruneDelivered(Instant.now().plusSeconds(1), 100_000).await().indefinitely() >= 1);
        assertEquals(0L, store.count(ok[1], "delivered").await().indefinitely(), "the success is gone");
        assertEquals(1L, store.count(held[1], "expired").await().indefinitely(), "the expired one stays");
    }

    private String deliveryId(String[] w) {
        var page = deliveryLog.page(w[0], w[1], null, null, null, null, null, 10).await().indefinitely();
        return page.isEmpty() ? "none" : page.get(0).id();
    }
}
