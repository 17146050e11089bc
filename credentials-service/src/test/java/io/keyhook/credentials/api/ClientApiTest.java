package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class ClientApiTest {

    @Test
    void creatingAClientReturnsItsFirstSecretOnce() {
        String env = Fixtures.environment();
        Response created = Fixtures.client(env);
        String clientId = created.path("clientId");
        String value = created.path("secret.value");

        assertThat(clientId, startsWith("cl_"));
        assertThat(value, startsWith("whsec_"));
        assertEquals(value, URLEncoder.encode(value, StandardCharsets.UTF_8), "secret must survive form-urlencoding");
        assertEquals("active", created.path("secret.status"));
        assertEquals("active", created.path("status"));

        String token = TestTokens.admin(env);
        as(token).get("/api/v1/environments/" + env + "/clients/" + clientId).then().statusCode(200)
                .body("clientId", equalTo(clientId)).body("$", not(hasKey("secret")));
        as(token).get("/api/v1/environments/" + env + "/clients").then().statusCode(200).body("clientId",
                hasItem(clientId));
        as(token).get("/api/v1/environments/" + env + "/clients/" + clientId + "/secrets").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].id", equalTo(created.path("secret.id")))
                .body("[0]", not(hasKey("value"))).body("[0].usedByWebhooks", hasSize(0));
    }

    @Test
    void clientIdsAreUniqueAndUnguessable() {
        String env = Fixtures.environment();
        String a = Fixtures.client(env).path("clientId");
        String b = Fixtures.client(env).path("clientId");
        assertNotEquals(a, b);
        assertEquals(25, a.length(), "cl_ + 22 base62 characters (~131 bits)");
    }

    @Test
    void severalSecretsAreActiveAtOnceAndInvalidationIsIdempotent() {
        String env = Fixtures.environment();
        Response created = Fixtures.client(env);
        String clientId = created.path("clientId");
        String second = Fixtures.secret(env, clientId).path("id");
        String base = "/api/v1/environments/" + env + "/clients/" + clientId + "/secrets";
        String token = TestTokens.admin(env);
        as(token).get(base).then().body("status", equalTo(java.util.List.of("active", "active")));

        as(token).post(base + "/" + created.path("secret.id") + "/invalidate").then().statusCode(200)
                .body("status", equalTo("invalidated")).body("invalidatedAt", not(nullValue()));
        as(token).post(base + "/" + created.path("secret.id") + "/invalidate").then().statusCode(200).body("status",
                equalTo("invalidated"));
        as(token).get(base).then().body("find { it.id == '" + second + "' }.status", equalTo("active"));
    }

    @Test
    void activeSecretsPerClientAreLimited() {
        String env = Fixtures.environment();
        String clientId = Fixtures.client(env).path("clientId");
        for (int i = 1; i < 5; i++) {
            Fixtures.secret(env, clientId);
        }
        as(TestTokens.admin(env)).post("/api/v1/environments/" + env + "/clients/" + clientId + "/secrets").then()
                .statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("too_many_active_secrets"));
    }

    @Test
    void renamingAndDisablingAClient() {
        String env = Fixtures.environment();
        String clientId = Fixtures.client(env).path("clientId");
        String path = "/api/v1/environments/" + env + "/clients/" + clientId;
        String token = TestTokens.admin(env);
        as(token).body(Map.of("name", "Billing sync", "description", "nightly")).patch(path).then().statusCode(200)
                .body("name", equalTo("Billing sync")).body("description", equalTo("nightly"));
        as(token).delete(path).then().statusCode(200).body("status", equalTo("disabled"));
        as(token).post(path + "/secrets").then().statusCode(409).body("code", equalTo("client_disabled"));
    }

    @Test
    void badInputGetsProblemDetailsNamingTheField() {
        String env = Fixtures.environment();
        String base = "/api/v1/environments/" + env + "/clients";
        String token = TestTokens.admin(env);
        as(token).body("{\"name\": \"x\", \"colour\": \"red\"}").post(base).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("unknown_field"))
                .body("errors[0].field", equalTo("colour"));
        as(token).body("{\"name\": ").post(base).then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("malformed_json"));
        as(token).body(Map.of("name", "")).post(base).then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("validation_failed")).body("errors.field", hasItem("name"));
        as(token).body(Map.of("name", "a".repeat(101))).post(base).then().statusCode(422).body("errors.field",
                hasItem("name"));
        as(token).body(Map.of("name", "tab\there")).post(base).then().statusCode(422).body("errors.field",
                hasItem("name"));
        as(token).body(Map.of("name", "x", "description", "d".repeat(70_000))).post(base).then().statusCode(413)
                .contentType("application/problem+json").body("code", equalTo("payload_too_large"));
        as(token).get(base + "/cl_doesNotExist").then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("client_not_found"));
        as(token).get(base + "/bad%20id").then().statusCode(422).body("code", equalTo("validation_failed"));
    }

    @Test
    void serverErrorsNeverRevealInternals() {
        String body = as(TestTokens.admin("*")).get("/api/v1/environments/does-not-exist/clients").then()
                .statusCode(404).extract().asString();
        assertFalse(body.contains("Exception"), body);
        assertThat(body, containsString("environment_not_found"));
    }

    private static <T> void assertThat(T actual, org.hamcrest.Matcher<? super T> matcher) {
        org.hamcrest.MatcherAssert.assertThat(actual, matcher);
    }
}
