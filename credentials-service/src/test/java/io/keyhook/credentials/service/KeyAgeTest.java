package io.keyhook.credentials.service;

import static io.keyhook.credentials.Fixtures.as;
import static io.keyhook.credentials.TestJwks.ec;
import static io.keyhook.credentials.TestJwks.jwks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.TestTokens;
import io.keyhook.testing.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;

/**
 * An Environment's maximum age applies to private_key_jwt keys by their registration time: flagged once past it,
 * removed from the inline JWKS after the grace (and published), never the client's last key, and a jwksUri client's
 * keys only flagged. The job is run as of a later day, as the clock would.
 */
@QuarkusTest
class KeyAgeTest {

    @Inject
    KeyAgeJob job;

    @Inject
    MeterRegistry registry;

    private void roundAfter(Duration d) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> job.round(Instant.now().plus(d)));
    }

    private static String environmentWithMaxAge() {
        String env = Fixtures.environment();
        as(TestTokens.operator()).body(Map.of("secretMaxAgeDays", 30, "secretExpiryGraceDays", 7))
                .patch("/api/v1/environments/" + env).then().statusCode(200);
        return env;
    }

    private static String clientWith(String env, Map<String, Object> body) {
        return as(TestTokens.admin(env)).body(body).post("/api/v1/environments/" + env + "/clients").then()
                .statusCode(201).extract().path("clientId");
    }

    private static JsonPath client(String env, String id) {
        return as(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/clients/" + id).then().statusCode(200)
                .extract().jsonPath();
    }

    private static List<String> audited(String env, String action) {
        return as(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/audit?action=" + action).then()
                .statusCode(200).extract().jsonPath().getList("items.detail");
    }

    private double count(String name) {
        return registry.counter(name).count();
    }

    @Test
    void aKeyKeepsItsRegistrationTimeAcrossAPatch() {
        String env = Fixtures.environment();
        String id = clientWith(env, Map.of("name", "svc", "authMethod", "private_key_jwt", "jwks",
                jwks(ec("k1", Curve.P_256), ec("k2", Curve.P_256))));
        JsonPath before = client(env, id);
        String k2At = before.getString("keys.find { it.kid == 'k2' }.registeredAt");
        assertNotNull(k2At);
        assertNull(before.getString("keys[0].ageFlaggedAt"));
        Awaitility.await().pollDelay(Duration.ofMillis(5)).until(() -> Instant.now().isAfter(Instant.parse(k2At)));
        as(TestTokens.admin(env)).body(Map.of("jwks", jwks(ec("k2", Curve.P_256), ec("k3", Curve.P_256))))
                .patch("/api/v1/environments/" + env + "/clients/" + id).then().statusCode(200);
        JsonPath after = client(env, id);
        assertEquals(k2At, after.getString("keys.find { it.kid == 'k2' }.registeredAt"));
        String k3At = after.getString("keys.find { it.kid == 'k3' }.registeredAt");
        assertTrue(Instant.parse(k3At).isAfter(Instant.parse(k2At)), k3At + " vs " + k2At);
    }

    @Test
    void anOldKeyIsFlaggedThenRemovedButNeverTheLastOne() throws Throwable {
        String env = environmentWithMaxAge();
        String id = clientWith(env, Map.of("name", "svc", "authMethod", "private_key_jwt", "jwks",
                jwks(ec("k1", Curve.P_256), ec("k2", Curve.P_256))));
        String other = Fixtures.environment();
        String elsewhere = clientWith(other,
                Map.of("name", "svc", "authMethod", "private_key_jwt", "jwks", jwks(ec("k1", Curve.P_256))));

        roundAfter(Duration.ofDays(29));
        assertNull(client(env, id).getString("keys[0].ageFlaggedAt"));
        assertTrue(audited(env, "key.age_flagged").isEmpty());

        double flaggedBefore = count("keyhook.credentials.keys.age_flagged");
        roundAfter(Duration.ofDays(31));
        JsonPath flagged = client(env, id);
        assertNotNull(flagged.getString("keys[0].ageFlaggedAt"));
        assertNotNull(flagged.getString("keys[1].ageFlaggedAt"));
        assertEquals(2, audited(env, "key.age_flagged").size());
        assertTrue(count("keyhook.credentials.keys.age_flagged") >= flaggedBefore + 2);
        // flagged once: a second round audits nothing more
        roundAfter(Duration.ofDays(31));
        assertEquals(2, audited(env, "key.age_flagged").size());
        assertEquals(List.of("k1", "k2"), client(env, id).getList("keys.kid"));

        double expiredBefore = count("keyhook.credentials.keys.expired");
        double blockedBefore = count("keyhook.credentials.keys.expiry_blocked");
        roundAfter(Duration.ofDays(38));
        // one of the two goes; the other is the client's last key and stays
        List<String> left = client(env, id).getList("keys.kid");
        assertEquals(1, left.size(), left.toString());
        assertEquals(1, audited(env, "key.expired").size());
        List<String> blocked = audited(env, "key.expiry_blocked");
        assertEquals(1, blocked.size());
        assertTrue(blocked.get(0).contains("kid " + left.get(0)), blocked.toString());
        assertTrue(count("keyhook.credentials.keys.expired") >= expiredBefore + 1);
        assertTrue(count("keyhook.credentials.keys.expiry_blocked") >= blockedBefore + 1);
        // the Environment without a maximum age is untouched
        assertEquals(List.of("k1"), client(other, elsewhere).getList("keys.kid"));

        // token-service learns of the removal
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> last = null;
            for (var r : TopicReader.readAll("keyhook.credentials")) {
                if (id.equals(r.key())) {
                    last = new ArrayList<>();
                    for (var k : new ObjectMapper().readTree(r.value()).path("jwks").path("keys")) {
                        last.add(k.path("kid").asText());
                    }
                }
            }
            assertEquals(left, last);
        });
    }

    @Test
    void aJwksUriClientsKeyIsFlaggedOnly() throws Throwable {
        String env = environmentWithMaxAge();
        String id = clientWith(env, Map.of("name", "svc", "authMethod", "private_key_jwt", "jwksUri",
                "https://8.8.8.8/.well-known/jwks.json"));
        as(TestTokens.service())
                .body(Map.of("uses",
                        List.of(Map.of("clientId", id, "kid", "remote-1", "usedAt",
                                Instant.now().minus(Duration.ofDays(40)).toString()))))
                .post("/internal/v1/key-usage").then().statusCode(200);

        roundAfter(Duration.ZERO);
        JsonPath c = client(env, id);
        assertEquals(List.of("remote-1"), c.getList("keys.kid"));
        assertNotNull(c.getString("keys[0].ageFlaggedAt"));
        assertNull(c.getString("keys[0].registeredAt"));
        List<String> flagged = audited(env, "key.age_flagged");
        assertEquals(1, flagged.size());
        assertTrue(flagged.get(0).contains("jwksUri"), flagged.toString());
        roundAfter(Duration.ofDays(10));
        assertEquals(1, audited(env, "key.age_flagged").size(), "flagged once");
        assertTrue(audited(env, "key.expired").isEmpty());
        assertTrue(audited(env, "key.expiry_blocked").isEmpty());
    }
}
