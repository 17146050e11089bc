package io.keyhook.dispatcher.service;

import static io.keyhook.dispatcher.service.DeliveryFlowTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;

import io.keyhook.common.contract.OperationalEvent;
import io.keyhook.common.crypto.LocalKeyFileCipher;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.dispatcher.DispatcherTestResources;
import io.keyhook.dispatcher.DispatcherViews;
import io.keyhook.dispatcher.Topics;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.dispatcher.persistence.WebhookHealthStore;
import io.keyhook.testing.StubHttpServer;
import io.keyhook.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Issue 31: the operational events the dispatcher emits (through its outbox, read back from the real topic), once per
 * fact; auto-disable after a shortened period, never of an operational webhook; and operational events delivered,
 * signed, to the Environment's operational webhook and to no data webhook.
 */
@QuarkusTest
@TestProfile(OperationalEventsTest.ShortPolicies.class)
public class OperationalEventsTest {

    /** Failing after 3 failures, auto-disable after 2 s, held deliveries warned about at once, checks every 300 ms. */
    public static class ShortPolicies implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyhook.dispatcher.operational.failing-after-failures", "3",
                    "keyhook.dispatcher.operational.auto-disable-after", "2s",
                    "keyhook.dispatcher.operational.held-expiring-warning", "73h",
                    "keyhook.dispatcher.operational.check-every", "300ms");
        }
    }

    private static final ObjectMapper JSON = io.keyhook.testing.ContractSamples.mapper();
    private static final String TOPIC = "keyhook.operational-events";

    record Received(String path, String body, boolean verified) {
    }

    static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    static final Map<String, String> SECRETS = new ConcurrentHashMap<>();
    /** Paths answering 500 while listed. */
    static final Set<String> FAILING = ConcurrentHashMap.newKeySet();

    static final StubHttpServer RECEIVER = new StubHttpServer(ex -> {
        String path = ex.getRequestURI().getPath();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        boolean verified;
        try {
            new Webhook(SECRETS.get(path)).verify(body,
                    Map.of("webhook-id", List.of(ex.getRequestHeaders().getFirst("webhook-id")), "webhook-timestamp",
                            List.of(ex.getRequestHeaders().getFirst("webhook-timestamp")), "webhook-signature",
                            List.of(ex.getRequestHeaders().getFirst("webhook-signature"))));
            verified = true;
        } catch (Exception e) {
            verified = false;
        }
        RECEIVED.add(new Received(path, body, verified));
        if (path.startsWith("/gone")) {
            StubHttpServer.respond(ex, 410, "{}");
        } else if (FAILING.contains(path)) {
            StubHttpServer.respond(ex, 500, "{\"error\":\"down\"}");
        } else {
            StubHttpServer.respond(ex, 200, "{}");
        }
    });

    @Inject
    DeliveryStore store;

    @Inject
    DispatcherHousekeeping housekeeping;

    @Inject
    OperationalChecks checks;

    @Inject
    WebhookHealth health;

    @Inject
    WebhookHealthStore healthStore;

    @Inject
    Pool pool;

    @BeforeEach
    void eventConsumerReads() {
        DispatcherViews.awaitEventConsumer();
    }

    static String newEnvironment() {
        return "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
    }

    /** A webhook of {@code purpose} at RECEIVER/path in {@code env}, signing with a new secret of its own client. */
    static String webhook(String env, String path, String purpose, List<String> types, boolean paused)
            throws Exception {
        String secret = SecretGenerator.newSecret();
        SECRETS.put(path, secret);
        String clientId = SecretGenerator.newId("cl_");
        String secretId = SecretGenerator.newId("sec_");
        String ciphertext = new LocalKeyFileCipher(Path.of("target/test-keys/secret-cipher.keys")).encryptNow(env,
                secret.getBytes(StandardCharsets.UTF_8));
        Topics.send("keyhook.credentials", clientId,
                "{\"schemaVersion\":1,\"kind\":\"api\",\"clientId\":\"" + clientId + "\",\"environment\":\"" + env
                        + "\",\"status\":\"active\",\"secrets\":[{\"id\":\"" + secretId
                        + "\",\"status\":\"active\",\"ciphertext\":\"" + ciphertext + "\"}]}");
        String id = SecretGenerator.newId("wh_");
        Map<String, Object> w = new java.util.LinkedHashMap<>();
        w.put("schemaVersion", 1);
        w.put("id", id);
        w.put("environment", env);
        w.put("url", RECEIVER.url() + path);
        w.put("notificationTypes", types);
        w.put("paused", paused);
        w.put("security", Map.of("method", "standard-webhooks", "secretIds", List.of(secretId)));
        w.put("version", 1);
        w.put("purpose", purpose);
        Topics.send("keyhook.webhooks", id, JSON.writeValueAsString(w));
        DispatcherViews.awaitWebhookAndSecret(id, 1, secretId);
        return id;
    }

    /** The operational events on the topic about {@code subject} of {@code type}, as published. */
    static List<JsonNode> published(String type, String subject) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (var r : TopicReader.readAll(TOPIC)) {
            JsonNode n = JSON.readTree(r.value());
            if (type.equals(n.path("type").asText()) && subject.equals(n.path("subject").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    /** Until the outbox holds nothing: every event committed so far is on the topic. */
    void outboxDrained() {
        Awaitility.await("outbox published").atMost(Duration.ofSeconds(30))
                .until(() -> pool.query("select count(*) from dispatcher.outbox").execute().await().indefinitely()
                        .iterator().next().getLong(0) == 0);
    }

    static void operationalEvent(String env, String id, String type, String subject) throws Exception {
        Topics.send(TOPIC, env, JSON.writeValueAsString(new OperationalEvent(id, "/test", type,
                Instant.parse("2026-11-29T16:00:00Z"), subject, env, Map.of("webhookId", subject, "n", 1))));
    }

    @Test
    void exhaustedIsEmittedOncePerFailedOrExpiredDelivery() throws Exception {
        String env = newEnvironment();
        FAILING.add("/x/fail");
        String failing = webhook(env, "/x/fail", "data", List.of("patients.created"), false);
        String gone = webhook(env, "/gone/x", "data", List.of("patients.updated"), false);
        String paused = webhook(env, "/x/paused", "data", List.of("patients.updated"), true);
        event(env, "ex-1", "patients.updated", "p-1");
        event(env, "ex-2", "patients.created", "p-2");
        event(env, "ex-3", "patients.updated", "p-3");
        // the one the failing webhook wants: retries run out on the engine (4 attempts); a 410 ends a delivery on the
        // direct path
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> store.count(failing, "failed").await().indefinitely() == 1
                        && store.count(gone, "failed").await().indefinitely() == 2
                        && store.count(paused, "held").await().indefinitely() == 2);
        // (other tests' held deliveries expire too)
        assertTrue(housekeeping.expireHeldBefore(Instant.now().plusSeconds(1)).await().indefinitely() >= 2);
        assertEquals(2, store.count(paused, "expired").await().indefinitely());
        outboxDrained();

        List<JsonNode> retried = published(OperationalEvent.DELIVERY_EXHAUSTED, failing);
        assertEquals(1, retried.size(), retried.toString());
        JsonNode first = retried.get(0);
        JsonNode d = first.path("data");
        assertEquals("failed", d.path("status").asText());
        assertEquals(4, d.path("attempts").asInt());
        assertEquals(500, d.path("lastStatus").asInt());
        assertEquals("HTTP 500", d.path("lastError").asText());
        assertEquals("patients", d.path("resource").asText());
        assertEquals("ex-2", d.path("eventId").asText());
        assertEquals("p-2", d.path("resourceId").asText());
        assertEquals("patients.created", d.path("type").asText());
        assertEquals(failing, d.path("webhookId").asText());
        assertEquals(env, first.path("environment").asText());
        assertEquals("opev_exhausted_" + d.path("deliveryId").asText() + "_4", first.path("id").asText());
        assertTrue(d.hasNonNull("createdAt") && d.hasNonNull("finishedAt"), d.toString());
        assertEquals(Set.of("webhookId", "deliveryId", "eventId", "type", "resource", "resourceId", "status",
                "attempts", "lastStatus", "lastError", "createdAt", "finishedAt"), fields(d));

        List<JsonNode> gones = published(OperationalEvent.DELIVERY_EXHAUSTED, gone);
        assertEquals(2, gones.size(), gones.toString());
        assertEquals(410, gones.get(0).path("data").path("lastStatus").asInt());
        assertEquals(1, gones.get(0).path("data").path("attempts").asInt());

        List<JsonNode> expired = published(OperationalEvent.DELIVERY_EXHAUSTED, paused);
        assertEquals(2, expired.size(), expired.toString());
        assertEquals("expired", expired.get(0).path("data").path("status").asText());
        assertEquals(0, expired.get(0).path("data").path("attempts").asInt());
        // a second expiry round expires nothing again
        assertEquals(0, housekeeping.expireHeldBefore(Instant.now().plusSeconds(1)).await().indefinitely());
    }

    @Test
    void failingOncePerEpisodeThenRecovered() throws Exception {
        String env = newEnvironment();
        FAILING.add("/y/toggle");
        String w = webhook(env, "/y/toggle", "data", List.of("patients.updated"), false);
        event(env, "fy-1", "patients.updated", "p-1");
        // 4 failed attempts (below the breaker's 5), 3 of them enough for "failing": still one event
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> store.count(w, "failed").await().indefinitely() == 1);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> health.isFailing(w));
        FAILING.remove("/y/toggle");
        event(env, "fy-4", "patients.updated", "p-4");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            outboxDrained();
            return published(OperationalEvent.WEBHOOK_RECOVERED, w).size() == 1;
        });
        event(env, "fy-5", "patients.updated", "p-5");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.count(w, "delivered").await().indefinitely() == 2);
        outboxDrained();

        List<JsonNode> failing = published(OperationalEvent.WEBHOOK_FAILING, w);
        assertEquals(1, failing.size(), failing.toString());
        JsonNode f = failing.get(0).path("data");
        assertEquals(Set.of("webhookId", "url", "failingSince", "consecutiveFailures", "failureRate", "window",
                "lastStatus", "lastError", "lastAttemptAt", "disableAt"), fields(f));
        assertEquals(RECEIVER.url() + "/y/toggle", f.path("url").asText());
        assertEquals(3, f.path("consecutiveFailures").asInt(), f.toString());
        assertEquals("PT15M", f.path("window").asText());
        assertEquals(500, f.path("lastStatus").asInt());
        Instant since = Instant.parse(f.path("failingSince").asText());
        assertEquals(since.plusSeconds(2), Instant.parse(f.path("disableAt").asText()));

        List<JsonNode> recovered = published(OperationalEvent.WEBHOOK_RECOVERED, w);
        assertEquals(1, recovered.size(), recovered.toString());
        JsonNode r = recovered.get(0).path("data");
        assertEquals(f.path("failingSince").asText(), r.path("failingSince").asText());
        assertEquals(Set.of("webhookId", "url", "failingSince", "recoveredAt"), fields(r));
        assertFalse(health.isFailing(w));
    }

    /**
     * Replicas that see the same webhook fail (or one restarted and counting again) each claim the episode at once: one
     * emits. Without the claim's condition every one of them did (see the commit message).
     */
    @Test
    void concurrentClaimsOfOneEpisodeEmitOnce() throws Exception {
        String env = newEnvironment();
        String w = webhook(env, "/z/replicas", "data", List.of("patients.updated"), false);
        int replicas = 8;
        ExecutorService pool8 = Executors.newFixedThreadPool(replicas);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> claims = new ArrayList<>();
        Instant base = Instant.now().minusSeconds(60);
        for (int i = 0; i < replicas; i++) {
            Instant since = base.plusMillis(i);
            claims.add(pool8.submit(() -> {
                start.await();
                return health
                        .claimFailing(new OperationalEvents.Failing(w, env, "https://r.example", since, 10, 1.0,
                                Duration.ofMinutes(15), 500, "HTTP 500", since, since.plusSeconds(2)))
                        .await().atMost(Duration.ofSeconds(20));
            }));
        }
        start.countDown();
        int won = 0;
        for (Future<Boolean> c : claims) {
            won += c.get() ? 1 : 0;
        }
        pool8.shutdown();
        assertEquals(1, won);
        // so do concurrent recoveries: one of them ends the episode
        List<Future<Instant>> ends = new ArrayList<>();
        ExecutorService again = Executors.newFixedThreadPool(replicas);
        for (int i = 0; i < replicas; i++) {
            ends.add(again.submit(() -> pool.withTransaction(c -> healthStore.claimRecovered(c, w, Instant.now()))
                    .await().atMost(Duration.ofSeconds(20))));
        }
        int ended = 0;
        for (Future<Instant> e : ends) {
            ended += e.get() != null ? 1 : 0;
        }
        again.shutdown();
        assertEquals(1, ended);
        outboxDrained();
        assertEquals(1, published(OperationalEvent.WEBHOOK_FAILING, w).size());
    }

    /**
     * The failure rate alone makes a webhook failing (2 failures in 3, never 3 in a row), and a recovery starts
     * counting afresh: the episode's failures do not make the next single failure "failing" again.
     */
    @Test
    void aFailureRateOverTheWindowIsFailingAndARecoveryStartsAfresh() throws Exception {
        String env = newEnvironment();
        String w = webhook(env, "/r/rate", "data", List.of("patients.updated"), false);
        var failed = new DeliveryStore.Outcome("pending", Instant.now(), 502, "HTTP 502", null, 1);
        var delivered = new DeliveryStore.Outcome("delivered", null, 200, null, null, 1);
        for (int i = 0; i < 7; i++) {
            health.observe(w, failed, Instant.now());
            health.observe(w, failed, Instant.now());
            health.observe(w, delivered, Instant.now());
        }
        // 21 attempts (at least failure-min-attempts, 20), 14 failed: above 0.5
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> health.isFailing(w));
        health.observe(w, delivered, Instant.now());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !health.isFailing(w) && failingSince(w) == null);
        for (int i = 0; i < 3; i++) {
            health.observe(w, failed, Instant.now());
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> health.isFailing(w));
        outboxDrained();

        List<JsonNode> failing = published(OperationalEvent.WEBHOOK_FAILING, w);
        assertEquals(2, failing.size(), failing.toString());
        JsonNode byRate = failing.get(0).path("data");
        assertTrue(byRate.path("failureRate").asDouble() > 0.5, byRate.toString());
        assertTrue(byRate.path("consecutiveFailures").asInt() < 3, byRate.toString());
        // the second episode began with its own first failure, not the first after the recovery by the old rate
        assertEquals(3, failing.get(1).path("data").path("consecutiveFailures").asInt(), failing.toString());
        assertEquals(1, published(OperationalEvent.WEBHOOK_RECOVERED, w).size());
    }

    @Test
    void autoDisableAfterThePeriodButNeverAnOperationalWebhook() throws Exception {
        String env = newEnvironment();
        FAILING.add("/d/data");
        FAILING.add("/d/ops");
        String data = webhook(env, "/d/data", "data", List.of("patients.updated"), false);
        String ops = webhook(env, "/d/ops", "operational", List.of(), false);
        String goneOps = webhook(newEnvironment(), "/gone/ops", "operational", List.of(), false);
        String goneOpsEnv = DispatcherViews.awaitWebhook(goneOps, 1).environment();
        event(env, "ad-1", "patients.updated", "p-1");
        operationalEvent(env, "opev_test_ad_" + ops, OperationalEvent.HELD_EXPIRING, "wh_other");
        operationalEvent(goneOpsEnv, "opev_test_gone_" + goneOps, OperationalEvent.HELD_EXPIRING, "wh_other");
        String disableData = "POST /internal/v1/webhooks/" + data + "/disable";
        Awaitility.await("auto-disable of the data webhook").atMost(Duration.ofSeconds(30))
                .until(() -> DispatcherTestResources.SERVICE_CALLS.contains(disableData));
        String body = DispatcherTestResources.SERVICE_BODIES.stream().filter(b -> b.startsWith(disableData)).findFirst()
                .orElseThrow();
        JsonNode request = JSON.readTree(body.substring(disableData.length() + 1));
        assertEquals("failing", request.path("code").asText());
        assertTrue(request.path("reason").asText().startsWith("failing continuously since"), body);
        Instant since = failingSince(data);
        assertTrue(Duration.between(since, Instant.now()).compareTo(Duration.ofSeconds(2)) >= 0);

        // the operational webhook failed as long (its episode is past the period) and a round has run since: no call
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> failingSince(ops) != null && failingSince(ops).isBefore(Instant.now().minusSeconds(2)));
        checks.round().await().atMost(Duration.ofSeconds(20));
        // nor did the other's 410 (its one delivery failed for good on it)
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> store.count(goneOps, "failed").await().indefinitely() == 1);
        checks.round().await().atMost(Duration.ofSeconds(20));
        assertFalse(DispatcherTestResources.SERVICE_CALLS.stream().anyMatch(c -> c.contains(ops)),
                DispatcherTestResources.SERVICE_CALLS.toString());
        assertFalse(DispatcherTestResources.SERVICE_CALLS.stream().anyMatch(c -> c.contains(goneOps)),
                DispatcherTestResources.SERVICE_CALLS.toString());
        // asked once per episode, whatever the rounds
        assertEquals(1, DispatcherTestResources.SERVICE_CALLS.stream().filter(disableData::equals).count());
        outboxDrained();
        // the operational webhook's failing event has no disableAt
        JsonNode opsFailing = published(OperationalEvent.WEBHOOK_FAILING, ops).get(0).path("data");
        assertFalse(opsFailing.has("disableAt"), opsFailing.toString());
        // its failed deliveries are not reported as exhausted (they would feed it more events)
        assertEquals(0, published(OperationalEvent.DELIVERY_EXHAUSTED, ops).size());
    }

    Instant failingSince(String webhookId) {
        var rows = pool.preparedQuery("select failing_since from dispatcher.webhook_health where webhook_id = $1")
                .execute(Tuple.of(webhookId)).await().indefinitely();
        return rows.size() == 0 || rows.iterator().next().getOffsetDateTime(0) == null ? null
                : rows.iterator().next().getOffsetDateTime(0).toInstant();
    }

    @Test
    void heldExpiringOncePerHeldEpisode() throws Exception {
        String env = newEnvironment();
        String w = webhook(env, "/h/paused", "data", List.of("patients.updated"), true);
        event(env, "he-1", "patients.updated", "p-1");
        event(env, "he-2", "patients.updated", "p-2");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.count(w, "held").await().indefinitely() == 2);
        Awaitility.await("held.expiring published").atMost(Duration.ofSeconds(30)).until(() -> {
            outboxDrained();
            return !published(OperationalEvent.HELD_EXPIRING, w).isEmpty();
        });
        checks.round().await().atMost(Duration.ofSeconds(20));
        checks.round().await().atMost(Duration.ofSeconds(20));
        outboxDrained();
        List<JsonNode> warned = published(OperationalEvent.HELD_EXPIRING, w);
        assertEquals(1, warned.size(), warned.toString());
        JsonNode d = warned.get(0).path("data");
        assertEquals(Set.of("webhookId", "heldCount", "oldestHeldAt", "expiresAt"), fields(d));
        assertEquals(2, d.path("heldCount").asInt());
        assertEquals(Instant.parse(d.path("oldestHeldAt").asText()).plus(Duration.ofHours(72)),
                Instant.parse(d.path("expiresAt").asText()));
    }

    @Test
    void operationalEventsReachTheOperationalWebhookSignedAndNeverADataWebhook() throws Exception {
        String env = newEnvironment();
        String data = webhook(env, "/o/data", "data", List.of("patients.updated"), false);
        String ops = webhook(env, "/o/ops", "operational", List.of(), false);
        assertNotNull(data);
        // malformed records are skipped, never block the ones after them
        Topics.send(TOPIC, env, "not json");
        Topics.sendBytes(TOPIC, env, new byte[] { (byte) 0xff, 0, 1 });
        Topics.send(TOPIC, env, "{\"id\":\"x\",\"type\":\"keyhook.unknown\",\"environment\":\"" + env + "\"}");
        Topics.send(TOPIC, env,
                "{\"id\":\"bad\\u0000id\",\"type\":\"keyhook.held.expiring\",\"environment\":\"" + env + "\"}");
        String first = "opev_test_1_" + ops;
        String second = "opev_test_2_" + ops;
        operationalEvent(env, first, OperationalEvent.DELIVERY_EXHAUSTED, "wh_a");
        operationalEvent(env, first, OperationalEvent.DELIVERY_EXHAUSTED, "wh_a");
        operationalEvent(env, second, OperationalEvent.WEBHOOK_FAILING, "wh_a");
        event(env, "od-1", "patients.updated", "p-1");
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> at("/o/ops").size() >= 2 && at("/o/data").size() >= 1);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.count(ops, "delivered").await().indefinitely() == 2);

        List<Received> toOps = at("/o/ops");
        assertEquals(2, toOps.size(), toOps.toString());
        assertTrue(toOps.stream().allMatch(Received::verified));
        JsonNode one = JSON.readTree(toOps.get(0).body());
        assertEquals(first, one.path("id").asText());
        assertEquals(OperationalEvent.DELIVERY_EXHAUSTED, one.path("type").asText());
        assertEquals(env, one.path("environment").asText());
        assertEquals("1.0", one.path("specversion").asText());
        assertEquals(1, one.path("data").path("n").asInt());
        assertEquals(second, JSON.readTree(toOps.get(1).body()).path("id").asText());
        List<Received> toData = at("/o/data");
        assertEquals(1, toData.size(), toData.toString());
        assertEquals("od-1", JSON.readTree(toData.get(0).body()).path("eventId").asText());
    }

    static List<Received> at(String path) {
        return RECEIVED.stream().filter(r -> r.path().equals(path)).toList();
    }

    static Set<String> fields(JsonNode n) {
        Set<String> out = new java.util.HashSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
