package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static io.keyhook.credentials.TestJwks.ec;
import static io.keyhook.credentials.TestJwks.ed25519;
import static io.keyhook.credentials.TestJwks.jwks;
import static io.keyhook.credentials.TestJwks.rsa;
import static io.keyhook.credentials.TestJwks.rsaPrivate;
import static io.keyhook.credentials.TestJwks.with;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

/**
 * private_key_jwt API clients: registered with an inline JWKS or a JWKS URL, never a secret; their keys listed,
 * replaced by PATCH, checked, audited and published on keyhook.credentials.
 */
@QuarkusTest
class PrivateKeyJwtClientTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Object> RSA = with(rsa("rsa-2026", 2048), "alg", "RS384");
    static final Map<String, Object> EC = with(ec("ec-2026", Curve.P_384), "alg", "ES384");
    static final Map<String, Object> ED = ed25519("ed-2026");
    static final String PUBLIC_URI = "https://8.8.8.8/.well-known/jwks.json";

    static String clients(String env) {
        return "/api/v1/environments/" + env + "/clients";
    }

    static Response create(String env, Map<String, Object> body) {
        Map<String, Object> b = new HashMap<>(body);
        b.putIfAbsent("name", "Backend " + Fixtures.uniqueId("svc"));
        return as(TestTokens.admin(env)).body(b).post(clients(env));
    }

    static void refused(Response r, int status, String code) {
        r.then().statusCode(status).contentType(containsString("application/problem+json")).body("code", equalTo(code));
    }

    @Test
    void aClientWithAnInlineJwksGetsNoSecretAndListsItsKeys() {
        String env = Fixtures.environment();
        Response created = create(env, Map.of("authMethod", "private_key_jwt", "jwks", jwks(RSA, EC, ED)));
        created.then().statusCode(201).body("$", not(hasKey("secret"))).body("authMethod", equalTo("private_key_jwt"))
                .body("$", not(hasKey("jwksUri"))).body("keys", hasSize(3)).body("keys[0].kid", equalTo("rsa-2026"))
                .body("keys[0].alg", equalTo("RS384")).body("keys[0].kty", equalTo("RSA"))
                .body("keys[0]", not(hasKey("crv"))).body("keys[0].firstUsedAt", nullValue())
                .body("keys[0].lastUsedAt", nullValue()).body("keys[1].kid", equalTo("ec-2026"))
                .body("keys[1].crv", equalTo("P-384")).body("keys[2].kid", equalTo("ed-2026"))
                .body("keys[2].alg", nullValue()).body("keys[2].kty", equalTo("OKP"))
                .body("keys[2].crv", equalTo("Ed25519"));
        String id = created.path("clientId");
        created.then().header("Location", endsWith(clients(env) + "/" + id));

        as(TestTokens.admin(env)).get(clients(env) + "/" + id).then().statusCode(200)
                .body("authMethod", equalTo("private_key_jwt"))
                .body("keys.kid", equalTo(List.of("rsa-2026", "ec-2026", "ed-2026")));
        String secretClient = Fixtures.client(env).path("clientId");
        as(TestTokens.admin(env)).get(clients(env)).then().statusCode(200)
                .body("find { it.clientId == '" + id + "' }.keys", hasSize(3))
                .body("find { it.clientId == '" + secretClient + "' }.authMethod", equalTo("client_secret"))
                .body("find { it.clientId == '" + secretClient + "' }", not(hasKey("keys")));
        as(TestTokens.admin(env)).get(clients(env) + "/" + id + "/secrets").then().statusCode(200).body("$",
                hasSize(0));
    }

    @Test
    void aClientWithAJwksUriKeepsTheUrl() {
        String env = Fixtures.environment();
        create(env, Map.of("authMethod", "private_key_jwt", "jwksUri", PUBLIC_URI)).then().statusCode(201)
                .body("$", not(hasKey("secret"))).body("jwksUri", equalTo(PUBLIC_URI)).body("keys", hasSize(0));
    }

    @Test
    void todaysClientsStayAsTheyWere() {
        String env = Fixtures.environment();
        create(env, Map.of()).then().statusCode(201).body("authMethod", equalTo("client_secret"))
                .body("secret.value", not(nullValue())).body("$", not(hasKey("keys")));
        create(env, Map.of("authMethod", "client_secret")).then().statusCode(201).body("secret.id", not(nullValue()));
    }

    @Test
    void everyWrongCombinationIsA400WithItsCode() {
        String env = Fixtures.environment();
        refused(create(env, Map.of("authMethod", "tls_client_auth", "jwksUri", PUBLIC_URI)), 400,
                "auth_method_invalid");
        refused(create(env, Map.of("authMethod", "private_key_jwt")), 400, "jwks_required");
        refused(create(env, Map.of("authMethod", "private_key_jwt", "jwks", jwks(EC), "jwksUri", PUBLIC_URI)), 400,
                "jwks_conflict");
        refused(create(env, Map.of("jwks", jwks(EC))), 400, "keys_not_allowed");
        refused(create(env, Map.of("authMethod", "client_secret", "jwksUri", PUBLIC_URI)), 400, "keys_not_allowed");
        // nothing was created by any of them
        as(TestTokens.admin(env)).get(clients(env)).then().body("$", hasSize(0));
    }

    @Test
    void aJwksThatFailsACheckIsA400NamingTheKey() {
        String env = Fixtures.environment();
        Response r = create(env, Map.of("authMethod", "private_key_jwt", "jwks",
                jwks(EC, with(rsaPrivate("leaked", 2048), "alg", "RS256"))));
        refused(r, 400, "jwks_private_key");
        r.then().body("detail", containsString("key 1 (kid 'leaked')")).body("kid", equalTo("leaked"))
                .body("keyIndex", equalTo(1)).body(not(containsString("\"d\":")));
        refused(create(env, Map.of("authMethod", "private_key_jwt", "jwks",
                jwks(Map.of("kty", "oct", "kid", "h", "alg", "HS256")))), 400, "jwks_key_type");
        refused(create(env, Map.of("authMethod", "private_key_jwt", "jwks", jwks(rsa("small", 1024)))), 400,
                "jwks_key_too_weak");
        refused(create(env, Map.of("authMethod", "private_key_jwt", "jwks", jwks(EC, EC))), 400, "jwks_kid_duplicate");
        refused(create(env, Map.of("authMethod", "private_key_jwt", "jwks", jwks(with(EC, "kid", "a\u0000b")))), 400,
                "jwks_kid_invalid");
        refused(create(env, Map.of("authMethod", "private_key_jwt", "jwks", List.of(EC))), 400, "jwks_invalid");
        // a body that is not JSON at all is refused before anything is checked
        as(TestTokens.admin(env)).body("{\"name\":\"x\",\"authMethod\":\"private_key_jwt\",\"jwks\":{\"keys\":[")
                .post(clients(env)).then().statusCode(400);
        as(TestTokens.admin(env)).get(clients(env)).then().body("$", hasSize(0));
        as(TestTokens.admin(env)).queryParam("action", "client.create").get("/api/v1/environments/" + env + "/audit")
                .then().statusCode(200).body("items.result", hasItem("refused:jwks_private_key"));
    }

    @Test
    void aJwksUriIsCheckedLikeAWebhookDestination() {
        String env = Fixtures.environment();
        Map<String, String> refusals = Map.of("http://8.8.8.8/jwks", "jwks_uri_scheme", "https://127.0.0.1/jwks",
                "jwks_uri_not_public", "https://[::1]:8443/jwks", "jwks_uri_not_public",
                "https://169.254.169.254/latest/meta-data", "jwks_uri_not_public", "https://10.1.2.3/jwks",
                "jwks_uri_not_public", "https://localhost/jwks", "jwks_uri_not_public", "https://user:pw@8.8.8.8/jwks",
                "jwks_uri_userinfo", "https://8.8.8.8/jwks#frag", "jwks_uri_invalid",
                "https://8.8.8.8/" + "a".repeat(2048), "jwks_uri_invalid", "not a url", "jwks_uri_invalid");
        refusals.forEach((uri, code) -> refused(create(env, Map.of("authMethod", "private_key_jwt", "jwksUri", uri)),
                400, code));
    }

    @Test
    void aClientsKeysAreReplacedByPatchAndItsMethodNeverSwitches() {
        String env = Fixtures.environment();
        String id = create(env, Map.of("authMethod", "private_key_jwt", "jwks", jwks(RSA))).then().statusCode(201)
                .extract().path("clientId");
        String one = clients(env) + "/" + id;

        as(TestTokens.admin(env)).body(Map.of("jwks", jwks(RSA, EC))).patch(one).then().statusCode(200).body("keys.kid",
                equalTo(List.of("rsa-2026", "ec-2026")));
        as(TestTokens.admin(env)).body(Map.of("name", "renamed")).patch(one).then().statusCode(200)
                .body("name", equalTo("renamed")).body("keys", hasSize(2));
        // a bad replacement changes nothing
        refused(as(TestTokens.admin(env)).body(Map.of("jwks", jwks(with(EC, "use", "enc")))).patch(one), 400,
                "jwks_key_use");
        refused(as(TestTokens.admin(env)).body(Map.of("jwks", jwks(EC), "jwksUri", PUBLIC_URI)).patch(one), 400,
                "jwks_conflict");
        refused(as(TestTokens.admin(env)).body(Map.of("jwksUri", "https://192.168.1.10/jwks")).patch(one), 400,
                "jwks_uri_not_public");
        refused(as(TestTokens.admin(env)).body(Map.of("authMethod", "client_secret")).patch(one), 409,
                "auth_method_immutable");
        as(TestTokens.admin(env)).get(one).then().body("keys.kid", equalTo(List.of("rsa-2026", "ec-2026"))).body("name",
                equalTo("renamed"));

        // the other kind of source replaces the first
        as(TestTokens.admin(env)).body(Map.of("jwksUri", PUBLIC_URI, "authMethod", "private_key_jwt")).patch(one).then()
                .statusCode(200).body("jwksUri", equalTo(PUBLIC_URI)).body("keys", hasSize(0));
        as(TestTokens.admin(env)).body(Map.of("jwks", jwks(ED))).patch(one).then().statusCode(200)
                .body("$", not(hasKey("jwksUri"))).body("keys.kid", equalTo(List.of("ed-2026")));

        String secretClient = Fixtures.client(env).path("clientId");
        refused(as(TestTokens.admin(env)).body(Map.of("jwks", jwks(EC))).patch(clients(env) + "/" + secretClient), 409,
                "not_private_key_jwt");
        refused(as(TestTokens.admin(env)).body(Map.of("authMethod", "private_key_jwt"))
                .patch(clients(env) + "/" + secretClient), 409, "auth_method_immutable");

        as(TestTokens.admin(env)).queryParam("action", "client.update").get("/api/v1/environments/" + env + "/audit")
                .then().statusCode(200)
                .body("items.detail", hasItem(containsString("keys replaced: jwks kids ed-2026")))
                .body("items.detail", hasItem(containsString("keys replaced: jwksUri " + PUBLIC_URI)))
                .body("items.result", hasItem("refused:auth_method_immutable"));
    }

    @Test
    void aPrivateKeyJwtClientGetsNoSecretAndDisablesAsBefore() {
        String env = Fixtures.environment();
        String id = create(env, Map.of("authMethod", "private_key_jwt", "jwks", jwks(EC))).path("clientId");
        refused(as(TestTokens.admin(env)).post(clients(env) + "/" + id + "/secrets"), 409,
                "client_uses_private_key_jwt");
        as(TestTokens.admin(env)).delete(clients(env) + "/" + id).then().statusCode(200)
                .body("status", equalTo("disabled")).body("keys", hasSize(1));

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<JsonNode> mine = published(id);
            assertEquals(2, mine.size());
            assertEquals("disabled", mine.get(1).get("status").asText());
            assertEquals("private_key_jwt", mine.get(1).get("authMethod").asText());
        });
    }

    @Test
    void thePublishedRecordCarriesTheKeysAndTodaysRecordNothingNew() {
        String env = Fixtures.environment();
        String inline = create(env, Map.of("authMethod", "private_key_jwt", "jwks", jwks(EC, ED))).path("clientId");
        String remote = create(env, Map.of("authMethod", "private_key_jwt", "jwksUri", PUBLIC_URI)).path("clientId");
        String secret = Fixtures.client(env).path("clientId");

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode a = published(inline).get(0);
            assertEquals("private_key_jwt", a.get("authMethod").asText());
            assertEquals(JSON.valueToTree(jwks(EC, ED)), a.get("jwks"));
            assertFalse(a.has("jwksUri"));
            assertEquals(0, a.get("secrets").size());
            JsonNode b = published(remote).get(0);
            assertEquals(PUBLIC_URI, b.get("jwksUri").asText());
            assertFalse(b.has("jwks"));
            JsonNode c = published(secret).get(0);
            for (String field : List.of("authMethod", "jwks", "jwksUri", "scopes", "tokenLifetimeSeconds")) {
                assertFalse(c.has(field), field + " in " + c);
            }
        });
        // the internal client API answers the same record
        as(TestTokens.service()).get("/internal/v1/clients/" + inline).then().statusCode(200)
                .body("authMethod", equalTo("private_key_jwt"))
                .body("jwks.keys.kid", equalTo(List.of("ec-2026", "ed-2026")));
    }

    private static List<JsonNode> published(String clientId) throws Exception {
        List<JsonNode> mine = new java.util.ArrayList<>();
        for (var r : TopicReader.readAll("keyhook.credentials")) {
            if (clientId.equals(r.key())) {
                mine.add(JSON.readTree(r.value()));
            }
        }
        return mine;
    }
}
