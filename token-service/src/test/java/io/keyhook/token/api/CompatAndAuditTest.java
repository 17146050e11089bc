package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.newAddress;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.token.service.TokenAudit;
import io.keyhook.token.support.OAuth;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The v2 compatibility exchange, and the audit trail of token-endpoint failures and revocations. */
@QuarkusTest
class CompatAndAuditTest {

    @Inject
    CredentialView view;

    @Inject
    TokenAudit audit;

    @Test
    void theV2ExchangeAnswersTokenAndExpiresAt() {
        TestClients.Client c = Views.awaitKnown(view,
                TestClients.publish(TestClients.apiClient(TestClients.environment())));
        Response r = given().header("X-Forwarded-For", newAddress()).contentType("application/json")
                .body(Map.of("apiClient", c.clientId(), "secret", c.secret().value())).post("/auth/token");
        r.then().statusCode(200).header("Cache-Control", "no-store").body("token", notNullValue()).body("expiresAt",
                notNullValue());
        assertEquals(c.clientId(), OAuth.part(r.path("token"), 1).path("client_id").asText());

        given().header("X-Forwarded-For", newAddress()).contentType("application/json")
                .body(Map.of("apiClient", c.clientId(), "secret", "whsec_wrong")).post("/auth/token").then()
                .statusCode(401).contentType("application/problem+json").body("code", equalTo("invalid_client"))
                .header("WWW-Authenticate", "Basic realm=\"keyhook\"");
        given().header("X-Forwarded-For", newAddress()).contentType("application/json")
                .body(Map.of("apiClient", c.clientId())).post("/auth/token").then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("validation_failed"));
        given().header("X-Forwarded-For", newAddress()).contentType("application/json").body("{\"apiClient\":")
                .post("/auth/token").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void failuresAndRevocationsAreAuditedForTheEnvironmentWithoutSecrets() {
        String env = TestClients.environment();
        TestClients.Client c = Views.awaitKnown(view, TestClients.publish(TestClients.apiClient(env)));
        String token = basic(c).path("access_token");
        String address = newAddress();
        basic(address, c.clientId(), "whsec_notTheSecret").then().statusCode(401);
        OAuth.from(newAddress()).auth().preemptive().basic(c.clientId(), c.secret().value()).formParam("token", token)
                .post("/oauth2/revoke").then().statusCode(200);
        Views.awaitKnown(view, TestClients.publish(c.invalidate(c.secret().id())));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> audit.flushed(Duration.ofSeconds(1))
                        && auditOf(env).jsonPath().getList("items.action").contains("secret.revoked"));

        TestClients.Client op = Views.awaitKnown(view,
                TestClients.publish(TestClients.adminClient(List.of("integration-admin"), List.of(env))));
        Response page = given().auth().oauth2(basic(op).<String> path("access_token"))
                .get("/api/v1/environments/" + env + "/token-audit");
        page.then().statusCode(200).body("items.action", hasItems("token.refused", "token.revoked", "secret.revoked"))
                .body("items.find { it.action == 'token.refused' }.source", equalTo(address))
                .body("items.find { it.action == 'token.refused' }.reason", equalTo("bad_credentials"))
                .body(not(org.hamcrest.Matchers.containsString(c.secret().value())))
                .body(not(org.hamcrest.Matchers.containsString("whsec_notTheSecret")))
                .body(not(org.hamcrest.Matchers.containsString(token)));
        // an admin of another Environment sees nothing of it
        TestClients.Client stranger = Views.awaitKnown(view,
                TestClients.publish(TestClients.adminClient(List.of("integration-admin"), List.of("elsewhere"))));
        given().auth().oauth2(basic(stranger).<String> path("access_token"))
                .get("/api/v1/environments/" + env + "/token-audit").then().statusCode(404);
    }

    @Test
    void aFullLastPageHasNoCursorSoNoEmptyPageFollows() {
        String env = TestClients.environment();
        audit.record(env, "cl_a", null, "token.refused", "cl_a", "refused", "bad_credentials");
        audit.record(env, "cl_b", null, "token.refused", "cl_b", "refused", "bad_credentials");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> audit.flushed(Duration.ofSeconds(1)));

        auditOf(env, Map.of("limit", 2)).then().statusCode(200).body("items.target", contains("cl_b", "cl_a"))
                .body("nextCursor", nullValue());
        String next = auditOf(env, Map.of("limit", 1)).then().statusCode(200).body("items.target", contains("cl_b"))
                .extract().path("nextCursor");
        auditOf(env, Map.of("limit", 1, "cursor", next)).then().statusCode(200).body("items.target", contains("cl_a"))
                .body("nextCursor", nullValue());
    }

    private Response auditOf(String env) {
        return auditOf(env, Map.of());
    }

    private Response auditOf(String env, Map<String, ?> query) {
        TestClients.Client op = Views.awaitKnown(view,
                TestClients.publish(TestClients.adminClient(List.of("platform-operator"), List.of("*"))));
        return given().auth().oauth2(basic(op).<String> path("access_token")).queryParams(query)
                .get("/api/v1/environments/" + env + "/token-audit");
    }
}
