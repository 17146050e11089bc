package io.keyhook.webhooks.client;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.webhooks.support.CredentialsStub;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The calls to credentials-service go through common.client: the service token comes from quarkus-oidc-client and is
 * reused, an idempotent call that met a 503 is retried, a refusal is not.
 */
@QuarkusTest
class ServiceCallsTest {

    @Inject
    EnvironmentView view;

    @Test
    void theServiceTokenIsFetchedOnceAndReusedForEveryInternalCall() {
        String first = Environments.create(view, "patients");
        create(first, secret(first)); // the token exists from here on
        List<String> before = CredentialsStub.shared().requests();
        for (int i = 0; i < 3; i++) {
            String env = Environments.create(view, "patients"); // one webhook per Environment
            create(env, secret(env));
        }
        List<String> calls = CredentialsStub.shared().requests().subList(before.size(),
                CredentialsStub.shared().requests().size());
        assertEquals(3, calls.stream().filter(c -> c.startsWith("PUT /internal/v1/webhooks/")).count(),
                calls.toString());
        assertEquals(0, calls.stream().filter(c -> c.equals("POST /oauth2/token")).count(), calls.toString());
    }

    @Test
    void aLeaseCallThatMeetsA503IsRetriedAndTheWebhookIsCreated() {
        String env = Environments.create(view, "patients");
        String secret = secret(env);
        int before = CredentialsStub.shared().requests().size();
        CredentialsStub.shared().failNext(1);
        String id = create(env, secret);
        List<String> calls = CredentialsStub.shared().requests().subList(before,
                CredentialsStub.shared().requests().size());
        assertEquals(2, calls.stream().filter(c -> c.equals("PUT /internal/v1/webhooks/" + id + "/leases")).count(),
                calls.toString());
        assertEquals(List.of(secret), CredentialsStub.shared().leasesOf(id));
    }

    @Test
    void aRefusalIsAnsweredAsTheOwnersReasonAndNotRetried() {
        String env = Environments.create(view, "patients");
        int before = CredentialsStub.shared().requests().size();
        given().auth().oauth2(Environments.admin(env)).contentType("application/json")
                .body(body(SecretGenerator.newId("sec_"))).post("/api/v1/environments/" + env + "/webhooks").then()
                .statusCode(422).contentType("application/problem+json").body("code", equalTo("secret_not_usable"))
                .body("errors[0].field", equalTo("security.secretIds[0]"))
                .body("errors[0].message", startsWith("secret sec_"));
        List<String> calls = CredentialsStub.shared().requests().subList(before,
                CredentialsStub.shared().requests().size());
        assertEquals(1, calls.stream().filter(c -> c.startsWith("PUT /internal/v1/webhooks/")).count(),
                calls.toString());
    }

    @Test
    void aCredentialsServiceThatKeepsFailingIsA503WithNothingChanged() {
        String env = Environments.create(view, "patients");
        CredentialsStub.shared().failNext(3);
        try {
            given().auth().oauth2(Environments.admin(env)).contentType("application/json").body(body(secret(env)))
                    .post("/api/v1/environments/" + env + "/webhooks").then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", "5")
                    .body("code", equalTo("credentials_unavailable"));
        } finally {
            CredentialsStub.shared().failNext(0);
        }
        given().auth().oauth2(Environments.admin(env)).get("/api/v1/environments/" + env + "/webhooks").then()
                .statusCode(200).body("size()", equalTo(0));
    }

    private static String create(String env, String secret) {
        String id = given().auth().oauth2(Environments.admin(env)).contentType("application/json").body(body(secret))
                .post("/api/v1/environments/" + env + "/webhooks").then().statusCode(201).extract().path("id");
        assertTrue(id.startsWith("wh_"), id);
        return id;
    }

    private static Map<String, Object> body(String secret) {
        return Map.of("url", "https://receiver.example.com/h", "notificationTypes", List.of("patients.created"),
                "security", Map.of("method", "standard-webhooks", "secretIds", List.of(secret)));
    }

    private static String secret(String env) {
        String id = SecretGenerator.newId("sec_");
        CredentialsStub.shared().secret(id, env, true);
        return id;
    }
}
