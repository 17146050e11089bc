package io.keyhook.dispatcher.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.dispatcher.delivery.DeliveryFlowTest;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The delivery log and redelivery, with the same access rules as every admin API. */
@QuarkusTest
class DeliveryApiTest {

    @Test
    void theLogShowsEachDeliveryAndItsAttemptsAndRedeliverySendsItAgain() throws Exception {
        String[] w = DeliveryFlowTest.webhookAt("/logged", List.of("patients.updated"));
        String env = w[0];
        DeliveryFlowTest.event(env, "l1", "patients.updated", "p-7");
        String base = "/api/v1/environments/" + env + "/webhooks/" + w[1] + "/deliveries";
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(TestTokens.admin(env))
                .get(base + "?status=delivered").then().extract().jsonPath().getList("items").size() == 1);
        Response page = given().auth().oauth2(TestTokens.admin(env)).get(base);
        page.then().statusCode(200).body("items", hasSize(1)).body("items[0].eventId", equalTo("l1"))
                .body("items[0].type", equalTo("patients.updated"))
                // the list shows each delivery's latest attempt, not the whole log
                .body("items[0].lastAttempt.statusCode", equalTo(200)).body("items[0].lastAttempt.attempt", equalTo(1))
                .body("items[0].attemptLog", org.hamcrest.Matchers.nullValue());
        String id = page.path("items[0].id");
        given().auth().oauth2(TestTokens.admin(env)).get(base + "/" + id).then().statusCode(200)
                .body("attemptLog", hasSize(1)).body("attemptLog[0].statusCode", equalTo(200));

        given().auth().oauth2(TestTokens.admin(env)).post(base + "/" + id + "/redeliver").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(TestTokens.admin(env))
                .get(base + "/" + id).then().extract().jsonPath().getList("attemptLog").size() == 2);
        given().auth().oauth2(TestTokens.admin(env)).get(base + "/" + id).then()
                .body("webhookMessageId", equalTo(io.keyhook.dispatcher.messaging.EventRouter.msgId(w[1], "l1")))
                .body("status", equalTo("delivered"));

        // replay by time range: everything delivered in it goes out again
        String replay = "/api/v1/environments/" + env + "/webhooks/" + w[1] + "/replay";
        given().auth().oauth2(TestTokens.admin(env)).contentType("application/json")
                .body(java.util.Map.of("from", java.time.Instant.now().minusSeconds(3600).toString(), "to",
                        java.time.Instant.now().plusSeconds(60).toString()))
                .post(replay).then().statusCode(200).body("replayed", equalTo(1));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(TestTokens.admin(env))
                .get(base + "/" + id).then().extract().jsonPath().getList("attemptLog").size() == 3);
        given().auth().oauth2(TestTokens.admin(env)).contentType("application/json")
                .body(java.util.Map.of("from", "2026-01-02T00:00:00Z", "to", "2026-01-01T00:00:00Z")).post(replay)
                .then().statusCode(422).body("code", equalTo("invalid_range"));
        // a replay without a range is the caller's mistake, not a server error (it answered 500)
        for (String empty : new String[] { "{\"from\":\"\",\"to\":\"\"}", "{\"to\":\"2026-01-01T00:00:00Z\"}",
                "{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\" \"}" }) {
            given().auth().oauth2(TestTokens.admin(env)).contentType("application/json").body(empty).post(replay).then()
                    .statusCode(400).contentType("application/problem+json").body("code", equalTo("range_required"));
        }

        given().get(base).then().statusCode(401);
        given().auth().oauth2(TestTokens.operator()).get(base).then().statusCode(403);
        given().auth().oauth2(TestTokens.admin("elsewhere")).get(base).then().statusCode(404);
        given().auth().oauth2(TestTokens.admin(env)).get(base + "/dl_missing").then().statusCode(404).body("code",
                equalTo("delivery_not_found"));
    }
}
