package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class SecretUsageTest {

    @Test
    void reportedUseShowsAsLastUsedAtAndNeverGoesBack() {
        String env = Fixtures.environment();
        Response client = Fixtures.client(env);
        String secretId = client.path("secret.id");
        String secrets = "/api/v1/environments/" + env + "/clients/" + client.path("clientId") + "/secrets";

        report(secretId, "2026-11-01T10:00:00Z").then().statusCode(200).body("updated", equalTo(1));
        report(secretId, "2026-10-01T10:00:00Z").then().statusCode(200).body("updated", equalTo(0));
        as(TestTokens.admin(env)).get(secrets).then().body("[0].lastUsedAt", equalTo("2026-11-01T10:00:00Z"));

        as(TestTokens.admin(env)).body(body(secretId, "2026-11-02T10:00:00Z")).post("/internal/v1/secret-usage").then()
                .statusCode(403);
        report("whsec_notAnId", "2026-11-02T10:00:00Z").then().statusCode(422).body("code",
                equalTo("validation_failed"));
    }

    @Test
    void servicesReadASecretsLastUseWithoutAnAdminToken() {
        String env = Fixtures.environment();
        Response client = Fixtures.client(env);
        String secretId = client.path("secret.id");
        String internal = "/internal/v1/environments/" + env + "/clients/" + client.path("clientId") + "/secrets";
        report(secretId, "2026-11-03T10:00:00Z").then().statusCode(200);
        as(TestTokens.service()).get(internal).then().statusCode(200).body("[0].id", equalTo(secretId))
                .body("[0].lastUsedAt", equalTo("2026-11-03T10:00:00Z")).body("[0].value", equalTo(null));
        // an admin token does not open the internal API; another Environment's client is not found
        as(TestTokens.admin(env)).get(internal).then().statusCode(403);
        as(TestTokens.service()).get(internal.replace(env, Fixtures.environment())).then().statusCode(404);
    }

    private static Response report(String secretId, String at) {
        return as(TestTokens.service()).body(body(secretId, at)).post("/internal/v1/secret-usage");
    }

    private static Map<String, Object> body(String secretId, String at) {
        return Map.of("uses", List.of(Map.of("secretId", secretId, "usedAt", at)));
    }
}
