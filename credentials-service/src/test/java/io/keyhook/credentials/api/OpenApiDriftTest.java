package io.keyhook.credentials.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.OpenApiDrift;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The committed {@code openapi/credentials-service.yaml} is what the service serves (see {@link OpenApiDrift}). */
@QuarkusTest
class OpenApiDriftTest {

    @Test
    void servedOpenApiMatchesTheCommittedCopy() throws Exception {
        OpenApiDrift.assertServedEquals(Path.of("openapi/credentials-service.yaml"));
    }

    /**
     * Real answers against the document, status and body: before, POST /api/v1/configurations answered 201 while
     * documented as 200.
     */
    @Test
    void everyCreateAnswersAsItsDocumentSays() {
        String config = Fixtures.uniqueId("cfg");
        Response configuration = Fixtures.as(TestTokens.operator())
                .body(Map.of("name", config, "dataTypes", List.of("patients"))).post("/api/v1/configurations");
        documented("POST", "/api/v1/configurations", configuration);
        String env = Fixtures.uniqueId("env");
        documented("POST", "/api/v1/environments", Fixtures.as(TestTokens.operator())
                .body(Map.of("id", env, "name", "Env " + env, "configuration", config)).post("/api/v1/environments"));
        documented("GET", "/api/v1/environments/{env}",
                Fixtures.as(TestTokens.operator()).get("/api/v1/environments/" + env));
        var client = Fixtures.client(env);
        documented("POST", "/api/v1/environments/{env}/clients", client);
        var keyClient = Fixtures.as(TestTokens.admin(env))
                .body(Map.of("name", "keys " + env, "authMethod", "private_key_jwt", "jwks",
                        io.keyhook.credentials.TestJwks.jwks(io.keyhook.credentials.TestJwks.ed25519("ed-1"))))
                .post("/api/v1/environments/" + env + "/clients");
        documented("POST", "/api/v1/environments/{env}/clients", keyClient);
        documented(
                "POST", "/internal/v1/key-usage", Fixtures
                        .as(TestTokens
                                .service())
                        .body(Map.of("uses", List.of(Map.of("clientId", keyClient.path("clientId"), "kid", "ed-1",
                                "usedAt", "2026-11-10T10:00:00Z"))))
                        .post("/internal/v1/key-usage"));
        documented("GET", "/api/v1/environments/{env}/clients/{clientId}", Fixtures.as(TestTokens.admin(env))
                .get("/api/v1/environments/" + env + "/clients/" + keyClient.path("clientId")));
        String rotations = "/api/v1/environments/" + env + "/clients/" + keyClient.path("clientId") + "/key-rotations";
        var rotation = Fixtures.as(TestTokens.admin(env))
                .body(Map.of("oldKid", "ed-1", "newKey", io.keyhook.credentials.TestJwks.ed25519("ed-2")))
                .post(rotations);
        documented("POST", "/api/v1/environments/{env}/clients/{clientId}/key-rotations", rotation);
        documented("GET", "/api/v1/environments/{env}/clients/{clientId}/key-rotations",
                Fixtures.as(TestTokens.admin(env)).get(rotations));
        documented("POST", "/api/v1/environments/{env}/clients/{clientId}/key-rotations/{rotationId}/finish",
                Fixtures.as(TestTokens.admin(env)).body(Map.of("override", true, "reason", "drift test"))
                        .post(rotations + "/" + rotation.path("id") + "/finish"));
        documented("POST", "/api/v1/environments/{env}/clients/{clientId}/secrets",
                Fixtures.secret(env, client.path("clientId")));
        documented("GET", "/api/v1/environments/{env}/clients/{clientId}/secrets", Fixtures.as(TestTokens.admin(env))
                .get("/api/v1/environments/" + env + "/clients/" + client.path("clientId") + "/secrets"));
        documented(
                "POST", "/api/v1/admin-clients", Fixtures
                        .as(TestTokens.operator()).body(Map.of("name", "ops " + env, "groups",
                                List.of("integration-admin"), "environments", List.of(env)))
                        .post("/api/v1/admin-clients"));
    }

    private static void documented(String method, String path, Response r) {
        OpenApiDrift.assertDocumentedResponse(method, path, r.statusCode(), r.asString());
    }
}
