package io.keyhook.dispatcher.service;

import static io.keyhook.dispatcher.service.DeliveryFlowTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

import io.keyhook.common.crypto.LocalKeyFileCipher;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.dispatcher.DispatcherViews;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.dispatcher.persistence.GapEntries;
import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.StubHttpServer;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The gap manifest (issue 31) against a real receiver, PostgreSQL and Kafka: deliveries exhausted or expired list
 * exactly their records, one entry per record, signed so the receiver verifies the page with the reference Standard
 * Webhooks library; a newer delivered event resolves an entry; {@code keyhook.gaps.available} arrives once per
 * recovery.
 */
@QuarkusTest
@TestProfile(GapManifestTest.NoBreaker.class)
public class GapManifestTest {

    /** Retries run out in about a second here; the breaker (5 failures in the other tests) would stretch that. */
    public static class NoBreaker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyhook.dispatcher.delivery.breaker.failures", "1000");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Records the receiver refuses (500) while listed. */
    static final Set<String> FAILING = ConcurrentHashMap.newKeySet();
    static final StubHttpServer RECEIVER = new StubHttpServer(ex -> {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        boolean fail = FAILING.stream().anyMatch(id -> body.contains("\"resourceId\":\"" + id + "\""));
        StubHttpServer.respond(ex, fail ? 500 : 200, "{}");
    });

    @Inject
    DeliveryStore store;

    @Inject
    DispatcherHousekeeping housekeeping;

    @Inject
    GapEntries entries;

    @Inject
    Pool pool;

    @BeforeEach
    void eventConsumerReads() {
        DispatcherViews.awaitEventConsumer();
    }

    /** A client with one secret and a webhook using it: {Environment, webhook id, secret}. */
    static String[] webhook(String path, String method, boolean paused) throws Exception {
        String env = "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        String secret = SecretGenerator.newSecret();
        String clientId = SecretGenerator.newId("cl_");
        String secretId = SecretGenerator.newId("sec_");
        String ciphertext = new LocalKeyFileCipher(Path.of("target/test-keys/secret-cipher.keys")).encryptNow(env,
                secret.getBytes(StandardCharsets.UTF_8));
        io.keyhook.dispatcher.Topics.send("keyhook.credentials", clientId,
                "{\"schemaVersion\":1,\"kind\":\"api\",\"clientId\":\"" + clientId + "\",\"environment\":\"" + env
                        + "\",\"status\":\"active\",\"secrets\":[{\"id\":\"" + secretId
                        + "\",\"status\":\"active\",\"ciphertext\":\"" + ciphertext + "\"}]}");
        String id = SecretGenerator.newId("wh_");
        io.keyhook.dispatcher.Topics.send("keyhook.webhooks", id,
                JSON.writeValueAsString(Map.of("schemaVersion", 1, "id", id, "environment", env, "url",
                        RECEIVER.url() + path, "notificationTypes", List.of("patients.updated"), "paused", paused,
                        "security", Map.of("method", method, "secretIds", List.of(secretId)), "version", 1)));
        DispatcherViews.awaitWebhookAndSecret(id, 1, secretId);
        return new String[] { env, id, secret };
    }

    static String gapsPath(String[] w) {
        return "/api/v1/environments/" + w[0] + "/webhooks/" + w[1] + "/gaps";
    }

    static Response gaps(String[] w, String query) {
        return RestAssured.given().auth().oauth2(TestTokens.admin(w[0])).get(gapsPath(w) + query);
    }

    /** Verifies the page as a receiver would, with the reference library; throws when it does not verify. */
    static void verify(String secret, Response r, String body) throws Exception {
        new Webhook(secret).verify(body, Map.of("webhook-id", List.of(r.header("webhook-id")), "webhook-timestamp",
                List.of(r.header("webhook-timestamp")), "webhook-signature", List.of(r.header("webhook-signature"))));
    }

    String deliveryIdOf(String[] w, String eventId) {
        return pool.preparedQuery("select id from dispatcher.deliveries where webhook_id = $1 and event_id = $2")
                .execute(Tuple.of(w[1], eventId)).await().indefinitely().iterator().next().getString(0);
    }

    @Test
    void exhaustedDeliveriesListExactlyTheAffectedRecordsSignedForTheReceiver() throws Exception {
        String[] w = webhook("/gaps-exhausted", "standard-webhooks", false);
        FAILING.addAll(List.of("ga-1", "ga-2"));
        event(w[0], "a1", "patients.updated", "ga-1");
        event(w[0], "a2", "patients.updated", "ga-ok");
        event(w[0], "a3", "patients.updated", "ga-2");
        event(w[0], "a4", "patients.updated", "ga-1");
        event(w[0], "a5", "patients.updated", "ga-ok2");
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> store.count(w[1], "failed").await().indefinitely() == 3
                        && store.count(w[1], "delivered").await().indefinitely() == 2);

        Response r = gaps(w, "");
        r.then().statusCode(200).contentType("application/json");
        String body = r.asString();
        verify(w[2], r, body);
        assertTrue(r.header("webhook-id").startsWith("gap_"), r.header("webhook-id"));
        // a receiver's verification fails on a changed page
        assertThrows(WebhookVerificationException.class, () -> verify(w[2], r, body.replace("ga-2", "ga-3")));

        JsonNode page = JSON.readTree(body);
        assertEquals(w[1], page.get("webhookId").asText());
        assertNotNull(page.get("since").asText());
        assertNotNull(page.get("generatedAt").asText());
        assertTrue(page.has("nextCursor") && page.get("nextCursor").isNull(), body);
        List<String> records = new ArrayList<>();
        page.get("items").forEach(i -> records.add(i.get("resourceId").asText()));
        assertEquals(List.of("ga-1", "ga-2").stream().sorted().toList(), records.stream().sorted().toList(),
                "one entry per record that missed an event, none for the delivered ones: " + body);
        JsonNode ga1 = null;
        for (JsonNode i : page.get("items")) {
            if (i.get("resourceId").asText().equals("ga-1")) {
                ga1 = i;
            }
        }
        assertEquals("a4", ga1.get("lastEventId").asText(), "the record's latest missed event");
        assertEquals("patients", ga1.get("resource").asText());
        assertEquals("patients.updated", ga1.get("type").asText());
        assertEquals("failed", ga1.get("reason").asText());
        assertEquals(deliveryIdOf(w, "a4"), ga1.get("deliveryId").asText());
        assertNotNull(Instant.parse(ga1.get("lastEventAt").asText()));
        assertTrue(!ga1.has("resolvedAt"), body);

        // keyset pages of one: both records, each once, the same as the whole
        Response first = gaps(w, "?limit=1");
        JsonNode p1 = JSON.readTree(first.asString());
        verify(w[2], first, first.asString());
        assertEquals(1, p1.get("items").size());
        String cursor = p1.get("nextCursor").asText();
        Response second = gaps(w, "?limit=1&cursor=" + cursor);
        JsonNode p2 = JSON.readTree(second.asString());
        assertEquals(1, p2.get("items").size());
        assertTrue(p2.get("nextCursor").isNull());
        assertEquals(Set.of("ga-1", "ga-2"),
                Set.of(p1.at("/items/0/resourceId").asText(), p2.at("/items/0/resourceId").asText()));
        assertNotEquals(first.header("webhook-id"), second.header("webhook-id"));

        // since after every entry: an empty page; since before: both
        gaps(w, "?since=2999-01-01T00:00:00Z").then().statusCode(200).body("items.size()",
                org.hamcrest.Matchers.equalTo(0));
        // an RFC 3339 time with an offset
        RestAssured.given().auth().oauth2(TestTokens.admin(w[0])).queryParam("since", "2000-01-01T00:00:00+01:00")
                .get(gapsPath(w)).then().statusCode(200).body("items.size()", org.hamcrest.Matchers.equalTo(2));

        // another Environment's admin reads nothing of it, nor through its own path
        String other = "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        RestAssured.given().auth().oauth2(TestTokens.admin(other)).get(gapsPath(w)).then().statusCode(404);
        RestAssured.given().auth().oauth2(TestTokens.admin(other))
                .get("/api/v1/environments/" + other + "/webhooks/" + w[1] + "/gaps").then().statusCode(404)
                .body("code", org.hamcrest.Matchers.equalTo("webhook_not_found"));
        FAILING.removeAll(List.of("ga-1", "ga-2"));
    }

    @Test
    void badQueriesAreProblems() throws Exception {
        String[] w = webhook("/gaps-bad", "standard-webhooks", false);
        for (String[] q : new String[][] { { "?since=yesterday", "invalid_timestamp" },
                { "?since=2026-13-01T00:00:00Z", "invalid_timestamp" }, { "?cursor=%00%01", "invalid_cursor" },
                { "?cursor=bm90LWEtY3Vyc29y", "invalid_cursor" }, { "?cursor=" + "A".repeat(3000), "invalid_cursor" },
                { "?limit=0", "invalid_query_parameter" }, { "?limit=100000", "invalid_query_parameter" },
                { "?limit=x", "invalid_query_parameter" }, { "?include=everything", "invalid_query_parameter" } }) {
            gaps(w, q[0]).then().statusCode(400).contentType("application/problem+json").body("code",
                    org.hamcrest.Matchers.equalTo(q[1]));
        }
        // a cursor whose key holds a NUL is refused, not sent to PostgreSQL (which cannot store one)
        String nul = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("2026-01-01T00:00:00Z\nab\u0000c".getBytes(StandardCharsets.UTF_8));
        gaps(w, "?cursor=" + nul).then().statusCode(400).body("code", org.hamcrest.Matchers.equalTo("invalid_cursor"));
        RestAssured.given().get(gapsPath(w)).then().statusCode(401);
    }

    @Test
    void aNewerDeliveredEventResolvesItsEntryAndEachRecoveryIsAnnouncedOnce() throws Exception {
        String[] w = webhook("/gaps-recovery", "standard-webhooks", false);
        FAILING.addAll(List.of("gb-1", "gb-2"));
        event(w[0], "b1", "patients.updated", "gb-1");
        event(w[0], "b2", "patients.updated", "gb-2");
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> store.count(w[1], "failed").await().indefinitely() == 2);

        // the receiver is fixed for gb-1; its next event is delivered: the entry is resolved, the recovery announced
        FAILING.remove("gb-1");
        event(w[0], "b3", "patients.updated", "gb-1");
        List<JsonNode> announced = awaitGapsAvailable(w[1], 1);
        JsonNode first = announced.get(0);
        assertEquals("keyhook.gaps.available", first.get("type").asText());
        assertEquals(w[0], first.get("environment").asText());
        assertEquals(w[1], first.get("subject").asText());
        assertEquals(w[1], first.at("/data/webhookId").asText());
        assertEquals(1, first.at("/data/gapCount").asInt(), "gb-1 was resolved in the same transaction: " + first);
        String since = first.at("/data/since").asText();
        assertEquals(GapManifest.href(w[0], w[1], since), first.at("/data/href").asText());

        // the href lists exactly what is still missing
        Response r = RestAssured.given().urlEncodingEnabled(false).auth().oauth2(TestTokens.admin(w[0]))
                .get(first.at("/data/href").asText());
        r.then().statusCode(200);
        verify(w[2], r, r.asString());
        JsonNode page = JSON.readTree(r.asString());
        assertEquals(1, page.get("items").size(), r.asString());
        assertEquals("gb-2", page.at("/items/0/resourceId").asText());
        assertEquals(Instant.parse(since), Instant.parse(page.at("/items/0/lastEventAt").asText()));
        // the resolved entry shows with include=resolved
        JsonNode all = JSON.readTree(gaps(w, "?include=resolved").asString());
        assertEquals(2, all.get("items").size());
        for (JsonNode i : all.get("items")) {
            assertEquals(i.get("resourceId").asText().equals("gb-1"), i.hasNonNull("resolvedAt"), all.toString());
        }

        // more deliveries: nothing new to announce (checked below, once a later announcement has arrived)
        event(w[0], "b4", "patients.updated", "gb-ok");
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> store.count(w[1], "delivered").await().indefinitely() == 2);
        // a second outage of another record, then a second recovery: announced again, once
        FAILING.add("gb-4");
        event(w[0], "b5", "patients.updated", "gb-4");
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> store.count(w[1], "failed").await().indefinitely() == 3);
        event(w[0], "b6", "patients.updated", "gb-ok2");
        List<JsonNode> both = awaitGapsAvailable(w[1], 2);
        assertEquals(2, both.size(), "one announcement per recovery: " + both);
        assertNotEquals(both.get(0).get("id").asText(), both.get(1).get("id").asText());
        assertEquals(2, both.get(1).at("/data/gapCount").asInt(), both.get(1).toString());
        assertEquals(since, both.get(1).at("/data/since").asText(), "the earliest open entry is still gb-2's");
        FAILING.removeAll(List.of("gb-2", "gb-4"));
    }

    @Test
    void heldDeliveriesThatExpireAreListedWithReasonExpired() throws Exception {
        String[] w = webhook("/gaps-held", "jwt-bearer", true);
        event(w[0], "x1", "patients.updated", "gx-1");
        event(w[0], "x2", "patients.updated", "gx-1");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.count(w[1], "held").await().indefinitely() == 2);
        // as the housekeeping does after the held retention
        assertTrue(housekeeping.expireHeldBefore(Instant.now().plusSeconds(1)).await().indefinitely() >= 2);
        Response r = gaps(w, "");
        r.then().statusCode(200);
        // a jwt-bearer webhook's manifest is signed v1 with its client secret: the reference library verifies it
        verify(w[2], r, r.asString());
        JsonNode page = JSON.readTree(r.asString());
        assertEquals(1, page.get("items").size(), r.asString());
        assertEquals("gx-1", page.at("/items/0/resourceId").asText());
        assertEquals("expired", page.at("/items/0/reason").asText());
        assertEquals("x2", page.at("/items/0/lastEventId").asText());
        assertEquals(deliveryIdOf(w, "x2"), page.at("/items/0/deliveryId").asText());
    }

    /**
     * Two transactions recording a delivered attempt for the same webhook at once (two replicas): a plain read sees the
     * recovery pending in both, so read-then-emit would announce it twice; the conditional update lets only the first
     * announce it (the second waits for the row, then finds it cleared).
     */
    @Test
    void ofTwoRoundsAtOnceOnlyOneAnnouncesTheRecovery() throws Exception {
        String webhookId = SecretGenerator.newId("wh_");
        pool.preparedQuery("insert into dispatcher.webhook_gaps (webhook_id, environment, ordering_key, resource,"
                + " resource_id, type, last_event_at, last_event_id, last_sequence, reason, delivery_id, recorded_at)"
                + " values ($1, 'env-race', 'r-1', 'patients', 'r-1', 'patients.updated', now(), 'e1', 1, 'failed',"
                + " 'dl_1', now())").execute(Tuple.of(webhookId)).await().indefinitely();
        pool.preparedQuery("insert into dispatcher.webhook_gap_recoveries values ($1, 'env-race', true, 1, now())")
                .execute(Tuple.of(webhookId)).await().indefinitely();
        SqlConnection a = pool.getConnection().await().indefinitely();
        SqlConnection b = pool.getConnection().await().indefinitely();
        try {
            Transaction ta = a.begin().await().indefinitely();
            Transaction tb = b.begin().await().indefinitely();
            String read = "select pending from dispatcher.webhook_gap_recoveries where webhook_id = $1";
            assertTrue(a.preparedQuery(read).execute(Tuple.of(webhookId)).await().indefinitely().iterator().next()
                    .getBoolean(0));
            assertTrue(b.preparedQuery(read).execute(Tuple.of(webhookId)).await().indefinitely().iterator().next()
                    .getBoolean(0), "both would announce on a plain read");

            List<GapEntries.Recovery> first = entries.clearPending(a, new String[] { webhookId }, Instant.now()).await()
                    .indefinitely();
            CompletableFuture<List<GapEntries.Recovery>> second = entries
                    .clearPending(b, new String[] { webhookId }, Instant.now()).subscribeAsCompletionStage()
                    .toCompletableFuture();
            Awaitility.await("the second waits for the first's row").atMost(Duration.ofSeconds(10))
                    .until(() -> pool.query("select count(*) from pg_stat_activity where wait_event_type = 'Lock'")
                            .execute().await().indefinitely().iterator().next().getLong(0) > 0);
            ta.commit().await().indefinitely();
            List<GapEntries.Recovery> afterwards = second.get(10, TimeUnit.SECONDS);
            tb.commit().await().indefinitely();
            assertEquals(1, first.size());
            assertEquals(1, first.get(0).gapCount());
            assertEquals(List.of(), afterwards, "the second round announces nothing");
        } finally {
            a.close().await().indefinitely();
            b.close().await().indefinitely();
        }
    }

    @Inject
    GapRetention gapRetention;

    /**
     * A webhook with keys of its own signs its manifest as its deliveries: v1a with each active key, checked by the
     * JDK.
     */
    @Test
    void aWebhookWithItsOwnKeysSignsItsManifestV1a() throws Exception {
        String env = OwnKeyDeliveryTest.env();
        String[] pair = OwnKeyDeliveryTest.ed25519(env);
        String id = OwnKeyDeliveryTest.webhook(env, "/gaps-v1a", "v1a",
                List.of(OwnKeyDeliveryTest.key("whk_Gap1", "ed25519", "active", pair[0], pair[1])));
        Response r = gaps(new String[] { env, id }, "");
        r.then().statusCode(200);
        String signature = r.header("webhook-signature");
        assertTrue(signature.startsWith("v1a,"), signature);
        String signed = r.header("webhook-id") + "." + r.header("webhook-timestamp") + ".";
        assertTrue(OwnKeyDeliveryTest.verifies(pair[0], (signed + r.asString()).getBytes(StandardCharsets.UTF_8),
                signature), "a receiver holding only " + pair[0] + " accepts the page");
        assertTrue(!OwnKeyDeliveryTest.verifies(pair[0],
                (signed + r.asString().replace("\"items\":[]", "\"items\":[{}]")).getBytes(StandardCharsets.UTF_8),
                signature), "nor a changed one");
    }

    /**
     * Bounded: entries older than the log's retention go, and beyond the cap resolved ones go first, then the oldest.
     */
    @Test
    void theManifestIsKeptAsLongAsTheLogAndCappedPerWebhook() {
        String capped = SecretGenerator.newId("wh_");
        String pruned = SecretGenerator.newId("wh_");
        String insert = "insert into dispatcher.webhook_gaps (webhook_id, environment, ordering_key, resource,"
                + " resource_id, type, last_event_at, last_event_id, last_sequence, reason, delivery_id, recorded_at,"
                + " resolved_at) values ($1, 'env-cap', $2, 'patients', $2, 'patients.updated',"
                + " now() - make_interval(mins => $3), 'e', 1, 'failed', 'dl', now() - make_interval(days => $4), $5)";
        for (int i = 1; i <= 5; i++) {
            // r-1 is the oldest; r-5 the newest, but resolved
            pool.preparedQuery(insert).execute(Tuple
                    .from(new Object[] { capped, "r-" + i, 10 - i, 0, i == 5 ? java.time.OffsetDateTime.now() : null }))
                    .await().indefinitely();
        }
        pool.preparedQuery(insert).execute(Tuple.from(new Object[] { pruned, "old", 1, 40, null })).await()
                .indefinitely();
        pool.preparedQuery(insert).execute(Tuple.from(new Object[] { pruned, "fresh", 1, 1, null })).await()
                .indefinitely();
        assertTrue(gapRetention.pruneBefore(Instant.now().minus(Duration.ofDays(30))).await().indefinitely() >= 1);
        assertEquals(List.of("fresh"), keys(pruned));
        assertTrue(entries.cap(3).await().indefinitely() >= 2);
        assertEquals(List.of("r-2", "r-3", "r-4"), keys(capped));
    }

    private List<String> keys(String webhookId) {
        List<String> out = new ArrayList<>();
        pool.preparedQuery("select ordering_key from dispatcher.webhook_gaps where webhook_id = $1 order by 1")
                .execute(Tuple.of(webhookId)).await().indefinitely().forEach(r -> out.add(r.getString(0)));
        return out;
    }

    /** Every keyhook.gaps.available about {@code webhookId} on the topic, once at least {@code atLeast} are there. */
    static List<JsonNode> awaitGapsAvailable(String webhookId, int atLeast) {
        List<JsonNode> found = new ArrayList<>();
        Awaitility.await("keyhook.gaps.available x" + atLeast).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    found.clear();
                    found.addAll(operationalEvents(webhookId, "keyhook.gaps.available"));
                    return found.size() >= atLeast;
                });
        return found;
    }

    static List<JsonNode> operationalEvents(String subject, String type) throws Exception {
        Properties p = KafkaBroker.shared().clientProperties();
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor("keyhook.operational-events").stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Set<TopicPartition> open = new HashSet<>(parts);
            while (!open.isEmpty()) {
                for (var rec : c.poll(Duration.ofMillis(200))) {
                    JsonNode e = JSON.readTree(rec.value());
                    if (subject.equals(e.path("subject").asText()) && type.equals(e.path("type").asText())) {
                        out.add(e);
                    }
                }
                open.removeIf(tp -> c.position(tp) >= end.get(tp));
            }
        }
        return out;
    }

    @Test
    void aRecoveryEventNamesItsFactAndTheManifestPage() {
        var r = new GapEntries.Recovery("wh_x", "env-a", 42, 3, Instant.parse("2026-12-01T10:00:00.123456Z"));
        var e = GapManifest.event(r, Instant.now());
        assertEquals("opev_gaps_wh_x_42", e.id(), "the same fact, the same id");
        assertEquals("/api/v1/environments/env-a/webhooks/wh_x/gaps?since=2026-12-01T10%3A00%3A00.123456Z",
                e.data().get("href"));
        assertEquals(3L, e.data().get("gapCount"));
        assertNull(e.data().get("resource"));
    }
}
