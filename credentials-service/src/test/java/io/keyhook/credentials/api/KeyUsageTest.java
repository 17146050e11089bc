package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static io.keyhook.credentials.TestJwks.ec;
import static io.keyhook.credentials.TestJwks.jwks;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.jwk.Curve;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** {@code POST /internal/v1/key-usage}: token-service's reports become each key's firstUsedAt and lastUsedAt. */
@QuarkusTest
class KeyUsageTest {

    static String clientWithKeys(String env, String... kids) {
        Object[] keys = new Object[kids.length];
        for (int i = 0; i < kids.length; i++) {
            keys[i] = ec(kids[i], Curve.P_256);
        }
        return as(TestTokens.admin(env))
                .body(Map.of("name", Fixtures.uniqueId("svc"), "authMethod", "private_key_jwt", "jwks", jwks(keys)))
                .post("/api/v1/environments/" + env + "/clients").then().statusCode(201).extract().path("clientId");
    }

    static Response report(List<Map<String, Object>> uses) {
        return as(TestTokens.service()).body(Map.of("uses", uses)).post("/internal/v1/key-usage");
    }

    static Map<String, Object> use(String clientId, String kid, String at) {
        return Map.of("clientId", clientId, "kid", kid, "usedAt", at);
    }

    static Response client(String env, String clientId) {
        return as(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/clients/" + clientId);
    }

    @Test
    void firstUseIsKeptAndLastUseOnlyMovesForward() {
        String env = Fixtures.environment();
        String id = clientWithKeys(env, "k1", "k2");

        report(List.of(use(id, "k1", "2026-11-10T10:00:00Z"))).then().statusCode(200).body("updated", equalTo(1));
        client(env, id).then().body("keys[0].firstUsedAt", equalTo("2026-11-10T10:00:00Z"))
                .body("keys[0].lastUsedAt", equalTo("2026-11-10T10:00:00Z")).body("keys[1].firstUsedAt", nullValue());

        report(List.of(use(id, "k1", "2026-11-12T10:00:00Z"))).then().body("updated", equalTo(1));
        // the same report again, and one older than both: nothing moves
        report(List.of(use(id, "k1", "2026-11-12T10:00:00Z"))).then().body("updated", equalTo(0));
        report(List.of(use(id, "k1", "2026-11-11T10:00:00Z"))).then().body("updated", equalTo(0));
        client(env, id).then().body("keys[0].firstUsedAt", equalTo("2026-11-10T10:00:00Z")).body("keys[0].lastUsedAt",
                equalTo("2026-11-12T10:00:00Z"));

        // one batch: two uses of k2 (counted once), a use in the future (counted as now), an unknown client (ignored)
        Instant before = Instant.now();
        report(List.of(use(id, "k2", "2026-11-13T10:00:00Z"), use(id, "k2", "2026-11-14T10:00:00Z"),
                use(id, "k1", "2999-01-01T00:00:00Z"), use("cl_doesNotExist", "k1", "2026-11-13T10:00:00Z"))).then()
                        .statusCode(200).body("updated", equalTo(2));
        Response r = client(env, id);
        r.then().body("keys[1].firstUsedAt", equalTo("2026-11-13T10:00:00Z")).body("keys[1].lastUsedAt",
                equalTo("2026-11-14T10:00:00Z"));
        Instant last = Instant.parse(r.path("keys[0].lastUsedAt"));
        assertTrue(!last.isBefore(before) && !last.isAfter(Instant.now()), "future use counted as now: " + last);
    }

    @Test
    void aJwksUriClientListsTheKeysSeenInUse() {
        String env = Fixtures.environment();
        String id = as(TestTokens.admin(env))
                .body(Map.of("name", "remote", "authMethod", "private_key_jwt", "jwksUri", "https://8.8.8.8/jwks.json"))
                .post("/api/v1/environments/" + env + "/clients").then().statusCode(201).extract().path("clientId");
        report(List.of(use(id, "remote-b", "2026-11-12T10:00:00Z"), use(id, "remote-a", "2026-11-11T10:00:00Z"))).then()
                .body("updated", equalTo(2));
        client(env, id).then().body("keys", hasSize(2)).body("keys[0].kid", equalTo("remote-a"))
                .body("keys[0].alg", nullValue()).body("keys[1].lastUsedAt", equalTo("2026-11-12T10:00:00Z"));
        as(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/clients").then().body("[0].keys", hasSize(2));
    }

    @Test
    void concurrentReportsOfTheSameKeysKeepTheEarliestAndTheLatest() throws Exception {
        String env = Fixtures.environment();
        String id = clientWithKeys(env, "a", "b");
        int reports = 16;
        ExecutorService pool = Executors.newFixedThreadPool(reports);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < reports; i++) {
                String at = Instant.parse("2026-11-01T00:00:00Z").plusSeconds(3600L * i).toString();
                // half the batches name the keys in the other order: rows locked in one order, never a deadlock
                List<Map<String, Object>> uses = i % 2 == 0 ? List.of(use(id, "a", at), use(id, "b", at))
                        : List.of(use(id, "b", at), use(id, "a", at));
                answers.add(pool.submit(() -> {
                    start.await();
                    return report(uses).then().statusCode(200).extract().<Integer> path("updated");
                }));
            }
            start.countDown();
            int updated = 0;
            for (Future<Integer> f : answers) {
                updated += f.get(60, TimeUnit.SECONDS);
            }
            // the first committed report inserts both rows; later ones count only if they moved a time
            assertTrue(updated >= 2 && updated <= 2 * reports, "updated " + updated);
        } finally {
            pool.shutdownNow();
        }
        String latest = Instant.parse("2026-11-01T00:00:00Z").plusSeconds(3600L * (reports - 1)).toString();
        Response r = client(env, id);
        for (int k = 0; k < 2; k++) {
            assertEquals("2026-11-01T00:00:00Z", r.path("keys[" + k + "].firstUsedAt"));
            assertEquals(latest, r.path("keys[" + k + "].lastUsedAt"));
        }
    }

    @Test
    void onlyServicesReportAndReportsAreValidatedAndBounded() {
        String env = Fixtures.environment();
        String id = clientWithKeys(env, "k1");
        as(TestTokens.admin(env)).body(Map.of("uses", List.of(use(id, "k1", "2026-11-10T10:00:00Z"))))
                .post("/internal/v1/key-usage").then().statusCode(403);
        report(List.of(use(id, "bad\u0000kid", "2026-11-10T10:00:00Z"))).then().statusCode(422).body("code",
                equalTo("validation_failed"));
        report(List.of(use("cl_has space", "k1", "2026-11-10T10:00:00Z"))).then().statusCode(422);
        report(List.of(Map.of("clientId", id, "kid", "k1"))).then().statusCode(422);
        report(List.of()).then().statusCode(422);
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i <= KeyUsageRequest.MAX_USES; i++) {
            tooMany.add(use(id, "k1", "2026-11-10T10:00:00Z"));
        }
        report(tooMany).then().statusCode(422);
        client(env, id).then().body("keys[0].lastUsedAt", nullValue());
    }
}
