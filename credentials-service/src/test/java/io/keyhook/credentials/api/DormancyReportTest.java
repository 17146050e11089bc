package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The dormancy report lists exactly the active secrets of active API clients unused for the given days. */
@QuarkusTest
class DormancyReportTest {

    private static void used(String secretId, String at) {
        as(TestTokens.service()).body(Map.of("uses", List.of(Map.of("secretId", secretId, "usedAt", at))))
                .post("/internal/v1/secret-usage").then().statusCode(200);
    }

    private static JsonPath report(String env, int days) {
        return as(TestTokens.admin(env))
                .get("/api/v1/environments/" + env + "/dormant-credentials?unusedForDays=" + days).then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void onlyActiveSecretsUnusedForTheDaysAreListedLongestUnusedFirst() {
        String env = Fixtures.environment();
        String clients = "/api/v1/environments/" + env + "/clients";
        Response longUnused = Fixtures.client(env);
        Response olderStill = Fixtures.client(env);
        Response inUse = Fixtures.client(env);
        Response fresh = Fixtures.client(env);
        Response disabled = Fixtures.client(env);
        String longId = longUnused.path("secret.id");
        used(longId, "2026-03-01T10:00:00Z");
        used(olderStill.path("secret.id"), "2026-01-01T10:00:00Z");
        used(inUse.path("secret.id"), Instant.now().toString());
        used(disabled.path("secret.id"), "2026-01-01T10:00:00Z");
        as(TestTokens.admin(env)).delete(clients + "/" + disabled.path("clientId")).then().statusCode(200);
        // a second, invalidated secret of the long-unused client is not listed either
        String second = Fixtures.secret(env, longUnused.path("clientId")).path("id");
        used(second, "2026-01-01T10:00:00Z");
        as(TestTokens.admin(env))
                .post(clients + "/" + longUnused.path("clientId") + "/secrets/" + second + "/invalidate").then()
                .statusCode(200);

        JsonPath r = report(env, 30);
        assertEquals(List.of(olderStill.path("secret.id"), longId), r.getList("items.secretId"), r.prettify());
        assertEquals(longUnused.<String> path("clientId"), r.getString("items[1].clientId"));
        assertEquals("2026-03-01T10:00:00Z", r.getString("items[1].lastUsedAt"));
        assertTrue(r.getLong("items[0].unusedDays") >= 30, r.prettify());
        assertEquals(false, r.getBoolean("truncated"));
        // 0 days: everything active not used at this very instant, the fresh never-used secret too
        List<String> all = report(env, 0).getList("items.secretId");
        assertTrue(all.contains(fresh.<String> path("secret.id")), all.toString());
        assertTrue(!all.contains(disabled.<String> path("secret.id")), all.toString());
    }

    @Test
    void theReportIsBoundedValidatedAndKeptToItsEnvironment() {
        String env = Fixtures.environment();
        Fixtures.client(env);
        Fixtures.client(env);
        as(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/dormant-credentials?unusedForDays=0&limit=1")
                .then().statusCode(200).body("items.size()", equalTo(1)).body("truncated", equalTo(true));
        as(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/dormant-credentials?unusedForDays=-1").then()
                .statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid_query_parameter"));
        as(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/dormant-credentials?unusedForDays=x").then()
                .statusCode(400).body("code", equalTo("invalid_query_parameter"));
        as(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/dormant-credentials?limit=99999999999").then()
                .statusCode(400).body("code", equalTo("invalid_query_parameter"));
        as(TestTokens.admin(Fixtures.environment())).get("/api/v1/environments/" + env + "/dormant-credentials").then()
                .statusCode(404);
    }

    @Test
    void privateKeyJwtKeysUnusedForTheDaysAreListedByKid() {
        String env = Fixtures.environment();
        String inline = as(TestTokens.admin(env))
                .body(Map.of("name", "keys", "authMethod", "private_key_jwt", "jwks",
                        io.keyhook.credentials.TestJwks.jwks(
                                io.keyhook.credentials.TestJwks.ec("old", com.nimbusds.jose.jwk.Curve.P_256),
                                io.keyhook.credentials.TestJwks.ec("busy", com.nimbusds.jose.jwk.Curve.P_256))))
                .post("/api/v1/environments/" + env + "/clients").then().statusCode(201).extract().path("clientId");
        String remote = as(TestTokens.admin(env))
                .body(Map.of("name", "remote", "authMethod", "private_key_jwt", "jwksUri",
                        "https://8.8.8.8/.well-known/jwks.json"))
                .post("/api/v1/environments/" + env + "/clients").then().statusCode(201).extract().path("clientId");
        String secretId = Fixtures.client(env).path("secret.id");
        used(secretId, "2026-02-01T10:00:00Z");
        keyUsed(inline, "old", "2026-03-01T10:00:00Z");
        keyUsed(inline, "busy", Instant.now().toString());
        keyUsed(remote, "remote-old", "2026-01-01T10:00:00Z");
        keyUsed(remote, "remote-busy", Instant.now().toString());

        JsonPath r = report(env, 30);
        // longest unused first, secrets and keys merged
        assertEquals(java.util.Arrays.asList(null, secretId, null), r.getList("items.secretId"), r.prettify());
        assertEquals(java.util.Arrays.asList("remote-old", null, "old"), r.getList("items.kid"), r.prettify());
        assertEquals(List.of(remote, inline),
                List.of(r.getString("items[0].clientId"), r.getString("items[2].clientId")));
        assertEquals("2026-03-01T10:00:00Z", r.getString("items[2].lastUsedAt"));
        assertTrue(r.getString("items[2].createdAt") != null, "an inline key's registration time");
        assertTrue(r.getString("items[0].createdAt") == null, "a jwksUri key has none");
        assertTrue(r.getLong("items[2].unusedDays") >= 30, r.prettify());
        // 0 days: the never-reported busy keys too once their last use is past (it is, by now)
        List<String> kids = report(env, 0).getList("items.kid");
        assertTrue(kids.contains("busy") && kids.contains("remote-busy"), kids.toString());
    }

    private static void keyUsed(String clientId, String kid, String at) {
        as(TestTokens.service()).body(Map.of("uses", List.of(Map.of("clientId", clientId, "kid", kid, "usedAt", at))))
                .post("/internal/v1/key-usage").then().statusCode(200);
    }
}
