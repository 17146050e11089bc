package io.keyhook.credentials.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.OpenApiDrift;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** The committed {@code openapi/credentials-service.yaml} is what the service serves (see {@link OpenApiDrift}). */
@QuarkusTest
class OpenApiDriftTest {

    @Test
    void servedOpenApiMatchesTheCommittedCopy() throws Exception {
        OpenApiDrift.assertServedEquals(Path.of("openapi/credentials-service.yaml"));
    }

    /** Real answers against the document: before, POST /api/v1/configurations answered 201 while documented as 200. */
    @Test
    void everyCreateAnswersAStatusItsDocumentLists() {
        String config = Fixtures.uniqueId("cfg");
        int configuration = Fixtures.as(TestTokens.operator())
                .body(Map.of("name", config, "dataTypes", List.of("patients"))).post("/api/v1/configurations")
                .statusCode();
        OpenApiDrift.assertDocumentedStatus("POST", "/api/v1/configurations", configuration);
        String env = Fixtures.uniqueId("env");
        int environment = Fixtures.as(TestTokens.operator())
                .body(Map.of("id", env, "name", "Env " + env, "configuration", config)).post("/api/v1/environments")
                .statusCode();
        OpenApiDrift.assertDocumentedStatus("POST", "/api/v1/environments", environment);
        var client = Fixtures.client(env);
        OpenApiDrift.assertDocumentedStatus("POST", "/api/v1/environments/{env}/clients", client.statusCode());
        OpenApiDrift.assertDocumentedStatus("POST", "/api/v1/environments/{env}/clients/{clientId}/secrets",
                Fixtures.secret(env, client.path("clientId")).statusCode());
        int admin = Fixtures.as(TestTokens.operator()).body(
                Map.of("name", "ops " + env, "groups", List.of("integration-admin"), "environments", List.of(env)))
                .post("/api/v1/admin-clients").statusCode();
        OpenApiDrift.assertDocumentedStatus("POST", "/api/v1/admin-clients", admin);
    }
}
