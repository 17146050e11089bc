package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.newAddress;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.token.service.TokenAudit;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Header;
import io.restassured.http.Headers;

/**
 * Behind a trusted proxy (the tests trust 127.0.0.1), the audited source is what the proxy saw, whatever the client
 * wrote in forwarding headers of its own (issue 28, point 1).
 */
@QuarkusTest
class ForwardedSourceTest {

    @Inject
    CredentialView view;

    @Inject
    TokenAudit audit;

    @Test
    void aSecondXForwardedForLineAddedByTheProxyIsTheSourceNotTheClientsFirstLine() {
        String env = TestClients.environment();
        TestClients.Client c = Views.awaitKnown(view, TestClients.publish(TestClients.apiClient(env)));
        String seenByProxy = newAddress();
        // HAProxy's "option forwardfor" adds its own line after the one the client wrote
        given().headers(
                new Headers(new Header("X-Forwarded-For", "203.0.113.9"), new Header("X-Forwarded-For", seenByProxy)))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", c.clientId()).formParam("client_secret", "wrong").post("/oauth2/token").then()
                .statusCode(401);

        assertEquals(List.of(seenByProxy), refusedSources(env, c));
    }

    private List<String> refusedSources(String env, TestClients.Client c) {
        TestClients.Client op = Views.awaitKnown(view,
                TestClients.publish(TestClients.adminClient(List.of("platform-operator"), List.of("*"))));
        String token = basic(op).path("access_token");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> audit.flushed(Duration.ofSeconds(1)) && !sources(env, token).isEmpty());
        return sources(env, token);
    }

    private static List<String> sources(String env, String token) {
        return given().auth().oauth2(token).get("/api/v1/environments/" + env + "/token-audit").then().statusCode(200)
                .extract().jsonPath().getList("items.findAll { it.action == 'token.refused' }.source", String.class);
    }
}
