package io.keyhook.credentials.service;

import static io.keyhook.credentials.Fixtures.as;
import static io.keyhook.credentials.TestJwks.ec;
import static io.keyhook.credentials.TestJwks.jwks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;

/**
 * Issue 31: when the maximum-age jobs flag a secret or a private_key_jwt key, {@code keyhook.credential.expiring} is
 * published on {@code keyhook.operational-events} once (later rounds do not repeat it), with the credential, when it
 * will expire and when it was flagged.
 */
@QuarkusTest
class CredentialExpiringTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SecretAgeJob secrets;

    @Inject
    KeyAgeJob keys;

    private static String environmentWithMaxAge() {
        String env = Fixtures.environment();
        as(TestTokens.operator()).body(Map.of("secretMaxAgeDays", 30, "secretExpiryGraceDays", 7))
                .patch("/api/v1/environments/" + env).then().statusCode(200);
        return env;
    }

    private static List<JsonNode> expiring(String env) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (var r : TopicReader.readAll("keyhook.operational-events")) {
            JsonNode n = JSON.readTree(r.value());
            if (env.equals(r.key()) && "keyhook.credential.expiring".equals(n.path("type").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void aFlaggedSecretIsAnnouncedOnce() throws Throwable {
        String env = environmentWithMaxAge();
        Response client = Fixtures.client(env);
        String clientId = client.path("clientId");
        String secretId = client.path("secret.id");
        VertxContextSupport.subscribeAndAwait(() -> secrets.round(Instant.now().plus(Duration.ofDays(29))));
        VertxContextSupport.subscribeAndAwait(() -> secrets.round(Instant.now().plus(Duration.ofDays(31))));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> expiring(env).size() == 1);
        VertxContextSupport.subscribeAndAwait(() -> secrets.round(Instant.now().plus(Duration.ofDays(32))));
        // a later event of the same Environment on the same partition proves the second round published nothing
        Response other = Fixtures.client(env);
        VertxContextSupport.subscribeAndAwait(() -> secrets.round(Instant.now().plus(Duration.ofDays(31))));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> expiring(env).size() >= 2);

        List<JsonNode> events = expiring(env);
        assertEquals(2, events.size(), events.toString());
        JsonNode e = events.get(0);
        assertEquals("opev_credential_expiring_" + secretId, e.path("id").asText());
        assertEquals(clientId, e.path("subject").asText());
        assertEquals(env, e.path("environment").asText());
        assertEquals("1.0", e.path("specversion").asText());
        JsonNode d = e.path("data");
        assertEquals(clientId, d.path("clientId").asText());
        assertEquals(secretId, d.path("secretId").asText());
        Instant flagged = Instant.parse(d.path("ageFlaggedAt").asText());
        Instant expires = Instant.parse(d.path("expiresAt").asText());
        // by age: created now, so 37 days from now (maximum 30 + grace 7), whatever the job's clock said
        assertTrue(Duration.between(flagged, expires).compareTo(Duration.ofDays(36)) > 0, d.toString());
        assertEquals((String) other.path("secret.id"), events.get(1).path("data").path("secretId").asText());
    }

    @Test
    void aFlaggedKeyIsAnnouncedOnceWithItsKid() throws Throwable {
        String env = environmentWithMaxAge();
        String id = as(TestTokens.admin(env))
                .body(Map.of("name", "svc", "authMethod", "private_key_jwt", "jwks",
                        jwks(ec("k1", Curve.P_256), ec("k2", Curve.P_256))))
                .post("/api/v1/environments/" + env + "/clients").then().statusCode(201).extract().path("clientId");
        VertxContextSupport.subscribeAndAwait(() -> keys.round(Instant.now().plus(Duration.ofDays(31))));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> expiring(env).size() == 2);
        VertxContextSupport.subscribeAndAwait(() -> keys.round(Instant.now().plus(Duration.ofDays(31))));
        Response later = Fixtures.client(env);
        VertxContextSupport.subscribeAndAwait(() -> secrets.round(Instant.now().plus(Duration.ofDays(31))));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> expiring(env).size() >= 3);

        List<JsonNode> events = expiring(env);
        assertEquals(3, events.size(), events.toString());
        List<String> kids = events.subList(0, 2).stream().map(n -> n.path("data").path("kid").asText()).sorted()
                .toList();
        assertEquals(List.of("k1", "k2"), kids);
        assertEquals(id, events.get(0).path("data").path("clientId").asText());
        assertEquals("opev_credential_expiring_" + id + "_k1",
                events.stream().filter(n -> n.path("data").path("kid").asText().equals("k1")).findFirst().orElseThrow()
                        .path("id").asText());
        assertEquals((String) later.path("secret.id"), events.get(2).path("data").path("secretId").asText());
    }
}
