package io.keyhook.dispatcher.service;

import static io.keyhook.dispatcher.service.DeliveryFlowTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;

import io.keyhook.dispatcher.DispatcherViews;
import io.keyhook.testing.StubHttpServer;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * Per-webhook tuning applied by the dispatcher (issue 31), against a real HTTP receiver: the webhook's timeout cuts a
 * slow receiver off, its maxInFlight caps the requests at once, its rate limit spaces the attempts (none lost, each
 * record's order kept), its headers arrive and a denied one never does even when a record carries it.
 */
@QuarkusTest
class TuningDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Hit(String path, long atNanos, String subject, Map<String, String> headers, String body, boolean verified) {
    }

    static final List<Hit> HITS = new CopyOnWriteArrayList<>();
    static final Map<String, AtomicInteger> IN_FLIGHT = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> MAX_IN_FLIGHT = new ConcurrentHashMap<>();
    static final Map<String, String> SECRETS = new ConcurrentHashMap<>();

    static final StubHttpServer RECEIVER = new StubHttpServer(TuningDeliveryTest::receive);

    static void receive(HttpExchange ex) throws java.io.IOException {
        String path = ex.getRequestURI().getPath();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        AtomicInteger now = IN_FLIGHT.computeIfAbsent(path, p -> new AtomicInteger());
        MAX_IN_FLIGHT.computeIfAbsent(path, p -> new AtomicInteger()).accumulateAndGet(now.incrementAndGet(),
                Math::max);
        try {
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            boolean verified;
            try {
                new Webhook(SECRETS.get(path)).verify(body,
                        Map.of("webhook-id", List.of(headers.get("webhook-id")), "webhook-timestamp",
                                List.of(headers.get("webhook-timestamp")), "webhook-signature",
                                List.of(headers.get("webhook-signature"))));
                verified = true;
            } catch (Exception e) {
                verified = false;
            }
            String subject = JSON.readTree(body).path("data").path("resourceId").asText();
            HITS.add(new Hit(path, System.nanoTime(), subject, headers, body, verified));
            if (path.startsWith("/slow") || path.startsWith("/busy")) {
                // a slow receiver: it answers after a while (its own thread; the dispatcher does not wait here)
                sleep(path.startsWith("/slow") ? 3500 : 300);
            }
            StubHttpServer.respond(ex, 200, "{\"ok\":true,\"echo\":\"thanks\"}");
        } finally {
            now.decrementAndGet();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @BeforeEach
    void eventConsumerReads() {
        DispatcherViews.awaitEventConsumer();
    }

    /** A webhook at RECEIVER/path with this tuning (a second version of it): {Environment, webhook id}. */
    static String[] tuned(String path, Map<String, Object> tuning) throws Exception {
        String[] w = DeliveryFlowTest.webhookAt(RECEIVER.url(), path, List.of("patients.updated"));
        SECRETS.put(path, DeliveryFlowTest.SECRETS.get(path));
        Map<String, Object> state = new LinkedHashMap<>(
                Map.of("schemaVersion", 1, "id", w[1], "environment", w[0], "url", RECEIVER.url() + path,
                        "notificationTypes", List.of("patients.updated"), "paused", false, "security", Map.of("method",
                                "standard-webhooks", "secretIds", List.of(DeliveryFlowTest.SECRET_IDS.get(path))),
                        "version", 2));
        state.put("tuning", tuning);
        io.keyhook.dispatcher.Topics.send("keyhook.webhooks", w[1], JSON.writeValueAsString(state));
        DispatcherViews.awaitWebhook(w[1], 2);
        return w;
    }

    static List<Hit> at(String path) {
        return HITS.stream().filter(h -> h.path().equals(path)).toList();
    }

    @Test
    void itsHeadersArriveAndDeniedOnesNeverDo() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Tenant", "tenant 42");
        // a record that got past webhook-config-service somehow: the dispatcher checks again
        headers.put("Webhook-Signature", "v1,forged");
        headers.put("Authorization", "Bearer injected");
        headers.put("X-Injected", "a\r\nx-evil: 1");
        headers.put("Host", "evil.example");
        String[] w = tuned("/headers", Map.of("headers", headers));
        event(w[0], "h-" + w[1], "patients.updated", "p-1");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> at("/headers").size() == 1);
        Hit hit = at("/headers").get(0);
        assertEquals("tenant 42", hit.headers().get("x-tenant"));
        assertTrue(hit.verified(), "our signature, not the forged one: " + hit.headers().get("webhook-signature"));
        assertFalse(hit.headers().get("webhook-signature").contains("forged"));
        assertNull(hit.headers().get("authorization"));
        assertNull(hit.headers().get("x-injected"));
        assertNull(hit.headers().get("x-evil"));
        assertFalse(hit.headers().get("host").contains("evil"));
    }

    @Test
    void itsTimeoutCutsASlowReceiverOff() throws Exception {
        // the suite's timeout here is 4 s: the receiver's 3.5 s answer would be a success without the webhook's own
        // (and a late timer on a busy box has 2.5 s before the answer could win)
        String[] w = tuned("/slow", Map.of("timeoutMs", 1000));
        event(w[0], "s-" + w[1], "patients.updated", "p-1");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> firstAttempt(w) != null);
        JsonNode attempt = firstAttempt(w);
        assertTrue(attempt.path("statusCode").isNull() || attempt.path("statusCode").isMissingNode(),
                attempt.toString());
        assertTrue(attempt.path("error").asText("").contains("deadline"), attempt.toString());
        assertTrue(attempt.path("latencyMs").asInt() < 3500, attempt.toString());
    }

    @Test
    void itsMaxInFlightCapsTheRequestsAtOnce() throws Exception {
        String[] w = tuned("/busy", Map.of("maxInFlight", 2));
        for (int i = 0; i < 10; i++) {
            event(w[0], "b" + i + "-" + w[1], "patients.updated", "rec-" + i);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> at("/busy").size() == 10);
        assertEquals(2, MAX_IN_FLIGHT.get("/busy").get(), "ten records at once, two requests at a time");
    }

    @Test
    void itsRateLimitSpacesTheAttemptsLosesNoneAndKeepsEachRecordsOrder() throws Exception {
        int rate = 20;
        String[] w = tuned("/rated", Map.of("rateLimitPerSecond", rate));
        int n = 40;
        for (int i = 0; i < n; i++) {
            // four records, ten events each, interleaved
            event(w[0], "r" + i + "-" + w[1], "patients.updated", "rec-" + (i % 4));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> at("/rated").size() >= n);
        List<Hit> hits = at("/rated");
        assertEquals(n, hits.size(), "each delivered once");
        double seconds = (hits.get(n - 1).atNanos() - hits.get(0).atNanos()) / 1e9;
        // a burst of at most a quarter second's tokens, then `rate` a second
        int burst = Math.max(1, rate / 4);
        double achieved = (n - burst) / seconds;
        assertTrue(achieved <= rate * 1.1, "achieved " + achieved + "/s against a limit of " + rate);
        for (int r = 0; r < 4; r++) {
            String subject = "rec-" + r;
            List<Integer> order = new ArrayList<>();
            hits.stream().filter(h -> h.subject().equals(subject)).forEach(h -> order.add(eventNumber(h)));
            List<Integer> sorted = new ArrayList<>(order);
            sorted.sort(Integer::compare);
            assertEquals(sorted, order, "record " + subject + " in publish order");
        }
    }

    @Test
    void aTestDeliveryIsSignedMarkedAnsweredAndBounded() throws Exception {
        String[] w = tuned("/test", Map.of("headers", Map.of("X-Tenant", "t-7")));
        // opted into nothing the test sends, and paused: an admin's explicit request still goes out
        Map<String, Object> paused = new LinkedHashMap<>(
                Map.of("schemaVersion", 1, "id", w[1], "environment", w[0], "url", RECEIVER.url() + "/test",
                        "notificationTypes", List.of("patients.updated"), "paused", true, "security", Map.of("method",
                                "standard-webhooks", "secretIds", List.of(DeliveryFlowTest.SECRET_IDS.get("/test"))),
                        "version", 3));
        paused.put("tuning", Map.of("headers", Map.of("X-Tenant", "t-7")));
        io.keyhook.dispatcher.Topics.send("keyhook.webhooks", w[1], JSON.writeValueAsString(paused));
        assertTrue(DispatcherViews.awaitWebhook(w[1], 3).paused());

        Response r = RestAssured.given().auth().oauth2(TestTokens.admin(w[0])).contentType("application/json")
                .body("{}").post("/api/v1/environments/" + w[0] + "/webhooks/" + w[1] + "/test");
        r.then().statusCode(200);
        assertTrue(r.jsonPath().getBoolean("delivered"), r.asString());
        assertEquals(200, r.jsonPath().getInt("statusCode"));
        assertTrue(r.jsonPath().getString("response").contains("thanks"), r.asString());
        assertTrue(r.jsonPath().getInt("latencyMs") >= 0);
        String messageId = r.jsonPath().getString("messageId");
        Hit hit = at("/test").get(0);
        assertEquals(messageId, hit.headers().get("webhook-id"));
        assertTrue(hit.verified(), "signed with the webhook's security method");
        assertEquals("t-7", hit.headers().get("x-tenant"));
        JsonNode body = JSON.readTree(hit.body());
        assertEquals("keyhook.test", body.path("type").asText());
        assertEquals("1.0", body.path("specversion").asText());
        assertEquals(r.jsonPath().getString("eventId"), body.path("id").asText());
        assertTrue(body.path("data").path("test").asBoolean());

        // no body, no content type: the same
        RestAssured.given().auth().oauth2(TestTokens.admin(w[0]))
                .post("/api/v1/environments/" + w[0] + "/webhooks/" + w[1] + "/test").then().statusCode(200);
        // another Environment's admin, or an unknown webhook: 404
        RestAssured.given().auth().oauth2(TestTokens.admin("env-other")).contentType("application/json").body("{}")
                .post("/api/v1/environments/env-other/webhooks/" + w[1] + "/test").then().statusCode(404);
        RestAssured.given().auth().oauth2(TestTokens.admin(w[0])).contentType("application/json").body("{}")
                .post("/api/v1/environments/" + w[0] + "/webhooks/wh_unknown1234/test").then().statusCode(404);
        // the per-minute bound (3 in tests): the third goes, the fourth is refused and sends nothing
        RestAssured.given().auth().oauth2(TestTokens.admin(w[0]))
                .post("/api/v1/environments/" + w[0] + "/webhooks/" + w[1] + "/test").then().statusCode(200);
        RestAssured.given().auth().oauth2(TestTokens.admin(w[0]))
                .post("/api/v1/environments/" + w[0] + "/webhooks/" + w[1] + "/test").then().statusCode(429)
                .contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.equalTo("test_rate_limited"));
        assertEquals(3, at("/test").size());
        // audited
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> RestAssured.given().auth().oauth2(TestTokens.admin(w[0]))
                        .get("/api/v1/environments/" + w[0] + "/audit").jsonPath().getList("items.action")
                        .contains("webhook.test"));
        // the paused webhook's data deliveries are still held: nothing but the tests went out
        assertTrue(at("/test").stream().allMatch(h -> h.body().contains("keyhook.test")));
    }

    private static int eventNumber(Hit h) {
        try {
            String id = JSON.readTree(h.body()).path("eventId").asText();
            return Integer.parseInt(id.substring(1, id.indexOf('-')));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode firstAttempt(String[] w) throws Exception {
        String page = RestAssured.given().auth().oauth2(TestTokens.admin(w[0]))
                .get("/api/v1/environments/" + w[0] + "/webhooks/" + w[1] + "/deliveries").asString();
        JsonNode items = JSON.readTree(page).path("items");
        if (items.isEmpty() || items.get(0).path("lastAttempt").isNull()
                || items.get(0).path("lastAttempt").isMissingNode()) {
            return null;
        }
        String id = items.get(0).path("id").asText();
        JsonNode one = JSON.readTree(RestAssured.given().auth().oauth2(TestTokens.admin(w[0]))
                .get("/api/v1/environments/" + w[0] + "/webhooks/" + w[1] + "/deliveries/" + id).asString());
        JsonNode log = one.path("attemptLog");
        return log.isEmpty() ? null : log.get(0);
    }
}
