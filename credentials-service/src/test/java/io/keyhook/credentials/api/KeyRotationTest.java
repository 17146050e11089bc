package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static io.keyhook.credentials.TestJwks.ec;
import static io.keyhook.credentials.TestJwks.jwks;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.TestTokens;
import io.keyhook.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The guided, verified rotation of a private_key_jwt client's key: the new key works at once, finish removes the old
 * one only once token-service reported the new key used and the old one quiet (or with an audited override), and
 * concurrent changes of the JWKS never lose a key.
 */
@QuarkusTest
class KeyRotationTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;

    static String client(String env) {
        return "/api/v1/environments/" + env + "/clients/";
    }

    static String rotations(String env, String clientId) {
        return client(env) + clientId + "/key-rotations";
    }

    static String clientWith(String env, String... kids) {
        Object[] keys = new Object[kids.length];
        for (int i = 0; i < kids.length; i++) {
            keys[i] = ec(kids[i], Curve.P_256);
        }
        return as(TestTokens.admin(env))
                .body(Map.of("name", Fixtures.uniqueId("svc"), "authMethod", "private_key_jwt", "jwks", jwks(keys)))
                .post(client(env)).then().statusCode(201).extract().path("clientId");
    }

    static Response start(String env, String clientId, String oldKid, Object newKey) {
        Map<String, Object> body = new HashMap<>();
        body.put("oldKid", oldKid);
        body.put("newKey", newKey);
        return as(TestTokens.admin(env)).body(body).post(rotations(env, clientId));
    }

    static Response finish(String env, String clientId, String rotationId, Map<String, Object> body) {
        var spec = as(TestTokens.admin(env));
        return (body == null ? spec : spec.body(body)).post(rotations(env, clientId) + "/" + rotationId + "/finish");
    }

    static void used(String clientId, String kid, Instant at) {
        as(TestTokens.service())
                .body(Map.of("uses", List.of(Map.of("clientId", clientId, "kid", kid, "usedAt", at.toString()))))
                .post("/internal/v1/key-usage").then().statusCode(200);
    }

    static List<String> kids(String env, String clientId) {
        return as(TestTokens.admin(env)).get(client(env) + clientId).then().statusCode(200).extract().path("keys.kid");
    }

    static void refused(Response r, int status, String code) {
        r.then().statusCode(status).contentType(containsString("application/problem+json")).body("code", equalTo(code));
    }

    @Test
    void checksFailThenPassAndFinishRemovesTheOldKeyAndPublishesIt() throws Exception {
        String env = Fixtures.environment();
        String id = clientWith(env, "k1");
        used(id, "k1", Instant.now().minus(Duration.ofMinutes(20)));

        Response started = start(env, id, "k1", ec("k2", Curve.P_256));
        started.then().statusCode(201).body("clientId", equalTo(id)).body("oldKid", equalTo("k1"))
                .body("newKid", equalTo("k2")).body("status", equalTo("open")).body("startedAt", notNullValue())
                .body("finishedAt", nullValue()).body("override", nullValue())
                .body("checks.name", equalTo(List.of("new_key_used", "old_key_quiet")))
                .body("checks[0].passed", equalTo(false)).body("checks[1].passed", equalTo(true))
                .body("checks[1].quietSince", notNullValue());
        String rotationId = started.path("id");
        assertEquals(List.of("k1", "k2"), kids(env, id), "the new key is registered the moment start returns");
        as(TestTokens.admin(env)).get(client(env) + id).then().body("keys[1].registeredAt", notNullValue());

        // not verified: the new key was never used
        Response early = finish(env, id, rotationId, null);
        refused(early, 409, "rotation_not_verified");
        early.then().body("checks.find { it.name == 'new_key_used' }.passed", equalTo(false));
        assertEquals(List.of("k1", "k2"), kids(env, id));

        used(id, "k2", Instant.now());
        as(TestTokens.admin(env)).get(rotations(env, id) + "/" + rotationId).then().statusCode(200)
                .body("checks.passed", equalTo(List.of(true, true)));
        finish(env, id, rotationId, null).then().statusCode(200).body("status", equalTo("finished"))
                .body("finishedAt", notNullValue()).body("override", nullValue());
        assertEquals(List.of("k2"), kids(env, id));
        as(TestTokens.admin(env)).get(rotations(env, id)).then().statusCode(200).body("items.id",
                equalTo(List.of(rotationId)));

        // token-service sees each state: k1+k2 after start, k2 only after finish
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<List<String>> states = publishedKids(id);
            assertTrue(states.contains(List.of("k1", "k2")), states.toString());
            assertEquals(List.of("k2"), states.get(states.size() - 1), states.toString());
        });
        as(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/audit").then().statusCode(200)
                .body("items.action", hasItem("key_rotation.started"))
                .body("items.action", hasItem("key_rotation.finished"));
    }

    @Test
    void anOldKeyStillInUseBlocksTheFinishUnlessOverriddenWithAReason() {
        String env = Fixtures.environment();
        String id = clientWith(env, "k1");
        String rotationId = start(env, id, "k1", ec("k2", Curve.P_256)).then().statusCode(201).extract().path("id");
        used(id, "k1", Instant.now());
        used(id, "k2", Instant.now());

        Response r = finish(env, id, rotationId, null);
        refused(r, 409, "rotation_not_verified");
        r.then().body("checks.find { it.name == 'old_key_quiet' }.passed", equalTo(false))
                .body("checks.find { it.name == 'new_key_used' }.passed", equalTo(true));
        refused(finish(env, id, rotationId, Map.of("override", true)), 422, "override_reason_required");
        refused(finish(env, id, rotationId, Map.of("override", true, "reason", "  ")), 422, "override_reason_required");
        finish(env, id, rotationId, Map.of("override", true, "reason", "bad\u0000reason")).then().statusCode(422);
        assertEquals(List.of("k1", "k2"), kids(env, id));

        finish(env, id, rotationId, Map.of("override", true, "reason", "old key leaked, app confirmed moved")).then()
                .statusCode(200).body("status", equalTo("finished"))
                .body("override.reason", equalTo("old key leaked, app confirmed moved"))
                .body("override.by", notNullValue()).body("override.at", notNullValue());
        assertEquals(List.of("k2"), kids(env, id));
        as(TestTokens.admin(env)).queryParam("action", "key_rotation.override")
                .get("/api/v1/environments/" + env + "/audit").then().statusCode(200).body("items", hasSize(1))
                .body("items[0].detail", containsString("old key leaked"));
    }

    @Test
    void startIsRefusedWithItsCode() {
        String env = Fixtures.environment();
        String id = clientWith(env, "k1");
        refused(start(env, id, "nope", ec("k2", Curve.P_256)), 404, "unknown_key");
        refused(start(env, id, "k1", ec("k1", Curve.P_256)), 400, "invalid_jwks");
        refused(start(env, id, "k1", Map.of("kty", "oct", "kid", "h", "k", "c2VjcmV0")), 400, "invalid_jwks");
        refused(start(env, id, "k1", "not a key"), 400, "invalid_jwks");
        String secretClient = Fixtures.client(env).path("clientId");
        refused(start(env, secretClient, "k1", ec("k2", Curve.P_256)), 409, "rotation_not_applicable");
        String remote = as(TestTokens.admin(env))
                .body(Map.of("name", "remote", "authMethod", "private_key_jwt", "jwksUri",
                        "https://8.8.8.8/.well-known/jwks.json"))
                .post(client(env)).then().statusCode(201).extract().path("clientId");
        refused(start(env, remote, "k1", ec("k2", Curve.P_256)), 409, "rotation_not_applicable");
        assertEquals(List.of("k1"), kids(env, id), "nothing was added by a refused start");

        start(env, id, "k1", ec("k2", Curve.P_256)).then().statusCode(201);
        refused(start(env, id, "k1", ec("k3", Curve.P_256)), 409, "key_rotation_in_progress");
    }

    @Test
    void cancelRemovesANeverUsedNewKeyOnly() {
        String env = Fixtures.environment();
        String id = clientWith(env, "k1");
        String first = start(env, id, "k1", ec("k2", Curve.P_256)).then().statusCode(201).extract().path("id");
        as(TestTokens.admin(env)).post(rotations(env, id) + "/" + first + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
        assertEquals(List.of("k1"), kids(env, id));
        refused(finish(env, id, first, null), 409, "key_rotation_not_open");

        String second = start(env, id, "k1", ec("k3", Curve.P_256)).then().statusCode(201).extract().path("id");
        used(id, "k3", Instant.now());
        refused(as(TestTokens.admin(env)).post(rotations(env, id) + "/" + second + "/cancel"), 409, "new_key_in_use");
        assertEquals(List.of("k1", "k3"), kids(env, id));
    }

    @Test
    void twoStartsAtOnceOpenExactlyOneRotation() throws Exception {
        String env = Fixtures.environment();
        for (int round = 0; round < 3; round++) {
            String id = clientWith(env, "k1");
            List<Response> answers = together(() -> start(env, id, "k1", ec("a", Curve.P_256)),
                    () -> start(env, id, "k1", ec("b", Curve.P_256)));
            List<Integer> statuses = answers.stream().map(Response::statusCode).sorted().toList();
            assertEquals(List.of(201, 409), statuses, answers.get(0).asString() + " / " + answers.get(1).asString());
            answers.stream().filter(a -> a.statusCode() == 409)
                    .forEach(a -> assertEquals("key_rotation_in_progress", a.path("code")));
            assertEquals(2, kids(env, id).size(), kids(env, id).toString());
            as(TestTokens.admin(env)).get(rotations(env, id)).then().body("items", hasSize(1));
        }
    }

    @Test
    void aPatchRacingAFinishLosesNoKey() throws Exception {
        String env = Fixtures.environment();
        for (int round = 0; round < 4; round++) {
            String id = clientWith(env, "k1");
            String rotationId = start(env, id, "k1", ec("k2", Curve.P_256)).then().statusCode(201).extract().path("id");
            used(id, "k2", Instant.now());
            // the PATCH adds k3 to what it read (k1, k2): whichever commits first, k2 and k3 must both survive
            List<Object> keys = new ArrayList<>();
            for (JsonNode k : JSON.readTree(as(TestTokens.service()).get("/internal/v1/clients/" + id).asString())
                    .get("jwks").get("keys")) {
                keys.add(JSON.convertValue(k, Map.class));
            }
            keys.add(ec("k3", Curve.P_256));
            List<Response> answers = together(
                    () -> as(TestTokens.admin(env)).body(Map.of("jwks", Map.of("keys", keys))).patch(client(env) + id),
                    () -> finish(env, id, rotationId, null));
            answers.forEach(a -> assertEquals(200, a.statusCode(), a.asString()));
            List<String> now = kids(env, id);
            assertTrue(now.contains("k2") && now.contains("k3"), "lost a key: " + now);
            // and the last published state is what is stored
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<List<String>> states = publishedKids(id);
                assertEquals(now, states.get(states.size() - 1));
            });
        }
    }

    /**
     * Deterministic form of the race: the client row is held while a finish starts, and the JWKS changes (k3 added) and
     * commits while the finish waits. A finish that read the JWKS before taking the row lock would write back its stale
     * copy and lose k3.
     */
    @Test
    void aJwksChangeCommittedWhileAFinishWaitsIsKept() throws Exception {
        String env = Fixtures.environment();
        String id = clientWith(env, "k1");
        String rotationId = start(env, id, "k1", ec("k2", Curve.P_256)).then().statusCode(201).extract().path("id");
        used(id, "k2", Instant.now());
        JsonNode jwks = JSON.readTree(as(TestTokens.service()).get("/internal/v1/clients/" + id).asString())
                .get("jwks");
        ((com.fasterxml.jackson.databind.node.ArrayNode) jwks.get("keys")).add(JSON.valueToTree(ec("k3", Curve.P_256)));

        SqlConnection holder = pool.getConnection().await().indefinitely();
        try {
            Transaction tx = holder.begin().await().indefinitely();
            holder.preparedQuery("select 1 from credentials.clients where id = $1 for update").execute(Tuple.of(id))
                    .await().indefinitely();
            CompletableFuture<Response> finishing = CompletableFuture
                    .supplyAsync(() -> finish(env, id, rotationId, null));
            // the finish waits for the row (as it must, or at its write, as a finish without the lock would)
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> pool
                            .preparedQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                                    + " and datname = current_database() and query ilike '%clients%'")
                            .execute().await().indefinitely().iterator().next().getLong(0) > 0);
            holder.preparedQuery("update credentials.clients set jwks = $2 where id = $1")
                    .execute(Tuple.of(id, jwks.toString())).await().indefinitely();
            tx.commit().await().indefinitely();
            assertEquals(200, finishing.get().statusCode(), finishing.get().asString());
        } finally {
            holder.close().await().indefinitely();
        }
        assertEquals(List.of("k2", "k3"), kids(env, id));
    }

    @SafeVarargs
    private static List<Response> together(Supplier<Response>... calls) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(calls.length);
        List<CompletableFuture<Response>> running = new ArrayList<>();
        for (Supplier<Response> call : calls) {
            running.add(CompletableFuture.supplyAsync(() -> {
                try {
                    barrier.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return call.get();
            }));
        }
        List<Response> answers = new ArrayList<>();
        for (CompletableFuture<Response> f : running) {
            answers.add(f.get());
        }
        return answers;
    }

    /** The kids of each state of the client published on keyhook.credentials, in order. */
    private static List<List<String>> publishedKids(String clientId) throws Exception {
        List<List<String>> states = new ArrayList<>();
        for (var r : TopicReader.readAll("keyhook.credentials")) {
            if (clientId.equals(r.key())) {
                List<String> kids = new ArrayList<>();
                JSON.readTree(r.value()).path("jwks").path("keys").forEach(k -> kids.add(k.path("kid").asText()));
                states.add(kids);
            }
        }
        return states;
    }
}
