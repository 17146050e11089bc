package io.keyhook.credentials.service;

import static io.keyhook.credentials.Fixtures.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.credentials.Fixtures;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * An Environment's maximum secret age: flagged once past it, invalidated after the grace, never while a webhook holds
 * it, each step audited. The job is run as of a later day, as the clock would.
 */
@QuarkusTest
class SecretAgeTest {

    @Inject
    SecretAgeJob job;

    private static JsonPath secretsOf(String env, String clientId) {
        return as(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/clients/" + clientId + "/secrets").then()
                .statusCode(200).extract().jsonPath();
    }

    private static List<String> audited(String env, String action) {
        return as(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/audit?action=" + action).then()
                .statusCode(200).extract().jsonPath().getList("items.targetId");
    }

    private void roundAfter(Duration d) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> job.round(Instant.now().plus(d)));
    }

    @Test
    void onlyAnOperatorSetsTheMaximumAgeAndItIsValidated() {
        String env = Fixtures.environment();
        String path = "/api/v1/environments/" + env;
        as(TestTokens.operator()).body(Map.of("secretMaxAgeDays", 90, "secretExpiryGraceDays", 7)).patch(path).then()
                .statusCode(200).body("secretMaxAgeDays", equalTo(90)).body("secretExpiryGraceDays", equalTo(7));
        as(TestTokens.operator()).body(Map.of("secretMaxAgeDays", -1)).patch(path).then().statusCode(422);
        as(TestTokens.operator()).body(Map.of("secretMaxAgeDays", 4000)).patch(path).then().statusCode(422);
        as(TestTokens.operator()).body(Map.of("secretExpiryGraceDays", 366)).patch(path).then().statusCode(422);
        as(TestTokens.admin(env)).body(Map.of("secretMaxAgeDays", 1)).patch(path).then().statusCode(403);
        // 0 removes the maximum; the grace stays as set
        as(TestTokens.operator()).body(Map.of("secretMaxAgeDays", 0)).patch(path).then().statusCode(200)
                .body("secretMaxAgeDays", equalTo(null)).body("secretExpiryGraceDays", equalTo(7));
    }

    @Test
    void anOldSecretIsFlaggedThenExpiresUnlessAWebhookHoldsIt() throws Throwable {
        String env = Fixtures.environment();
        String untouched = Fixtures.environment();
        as(TestTokens.operator()).body(Map.of("secretMaxAgeDays", 30, "secretExpiryGraceDays", 7))
                .patch("/api/v1/environments/" + env).then().statusCode(200);
        Response free = Fixtures.client(env);
        Response held = Fixtures.client(env);
        Response elsewhere = Fixtures.client(untouched);
        String freeId = free.path("secret.id");
        String heldId = held.path("secret.id");
        Fixtures.lease(env, "wh_age" + heldId.substring(4, 10), heldId).then().statusCode(200);

        // not old yet: nothing happens
        roundAfter(Duration.ofDays(29));
        assertNull(secretsOf(env, free.path("clientId")).getString("[0].ageFlaggedAt"));

        // past the maximum age: both flagged once, still active
        roundAfter(Duration.ofDays(31));
        roundAfter(Duration.ofDays(32));
        assertNotNull(secretsOf(env, free.path("clientId")).getString("[0].ageFlaggedAt"));
        assertEquals("active", secretsOf(env, free.path("clientId")).getString("[0].status"));
        assertNotNull(secretsOf(env, held.path("clientId")).getString("[0].ageFlaggedAt"));
        assertEquals(List.of(heldId, freeId).stream().sorted().toList(),
                audited(env, "secret.age_flagged").stream().sorted().toList(), "each flagged once");

        // past the grace: the free one is invalidated; the held one stays, its refusal audited once a day
        roundAfter(Duration.ofDays(38));
        roundAfter(Duration.ofDays(38).plusMinutes(5));
        assertEquals("invalidated", secretsOf(env, free.path("clientId")).getString("[0].status"));
        assertEquals("active", secretsOf(env, held.path("clientId")).getString("[0].status"));
        assertEquals(List.of(freeId), audited(env, "secret.expired"));
        assertEquals(List.of(heldId), audited(env, "secret.expiry_blocked"));
        // an Environment without a maximum is left alone
        assertEquals("active", secretsOf(untouched, elsewhere.path("clientId")).getString("[0].status"));
        assertNull(secretsOf(untouched, elsewhere.path("clientId")).getString("[0].ageFlaggedAt"));
    }
}
