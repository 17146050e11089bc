package io.keyhook.credentials.api;

import static io.keyhook.credentials.Fixtures.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class ClientStateTest {

    @Test
    void servicesReadAClientsCurrentStateRecordWithoutItsSecret() {
        String env = Fixtures.environment();
        Response client = Fixtures.client(env);
        String clientId = client.path("clientId");
        String value = client.path("secret.value");
        String second = Fixtures.secret(env, clientId).path("id");

        as(TestTokens.service()).get("/internal/v1/clients/" + clientId).then().statusCode(200)
                .body("clientId", equalTo(clientId)).body("environment", equalTo(env)).body("status", equalTo("active"))
                .body("secrets", hasSize(2)).body("secrets[1].id", equalTo(second))
                .body("secrets[0].verifier", startsWith("h1:")).body(not(org.hamcrest.Matchers.containsString(value)));

        as(TestTokens.admin(env)).get("/internal/v1/clients/" + clientId).then().statusCode(403);
        as(TestTokens.service()).get("/internal/v1/clients/cl_doesNotExist").then().statusCode(404).body("code",
                equalTo("client_not_found"));
    }
}
