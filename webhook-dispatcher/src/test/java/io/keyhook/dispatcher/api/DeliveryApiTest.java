package io.keyhook.dispatcher.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.dispatcher.service.DeliveryFlowTest;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

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

    @Inject
    Pool pool;

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .findAndRegisterModules()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void aPendingDeliverySaysWhenItIsDueAndCanBeAttemptedNow() throws Exception {
        String[] w = DeliveryFlowTest.webhookAt("/fixed-now", List.of("patients.updated"));
        String env = w[0];
        String base = "/api/v1/environments/" + env + "/webhooks/" + w[1] + "/deliveries";
        // a delivery waiting for its next retry in an hour, as after a receiver's outage
        String id = "dl_" + System.nanoTime();
        Instant due = Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        pool.preparedQuery("insert into dispatcher.deliveries (id, webhook_id, environment, event_id, msg_id, type,"
                + " ordering_key, body, status, attempts, next_attempt_at, last_status, created_at) values ($1, $2, $3,"
                + " $4, $5, 'patients.updated', 'p-1', '{\"type\":\"patients.updated\"}', 'pending', 3, $6, 503, now())")
                .execute(Tuple.from(new Object[] { id, w[1], env, "ev-" + id, "msg_" + id,
                        due.atOffset(java.time.ZoneOffset.UTC) }))
                .await().indefinitely();

        // before: 409 "still pending or held; it will be attempted anyway", nothing about when
        given().auth().oauth2(TestTokens.admin(env)).post(base + "/" + id + "/redeliver").then().statusCode(409)
                .body("code", equalTo("delivery_in_progress")).body("nextAttemptAt", equalTo(due.toString()))
                .body("detail", containsString("POST " + base + "/" + id + "/attempt-now"));

        given().auth().oauth2(TestTokens.admin(env)).post(base + "/" + id + "/attempt-now").then().statusCode(200)
                .body("id", equalTo(id));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "delivered".equals(
                given().auth().oauth2(TestTokens.admin(env)).get(base + "/" + id).then().extract().path("status")));
        given().auth().oauth2(TestTokens.admin(env)).post(base + "/" + id + "/attempt-now").then().statusCode(409)
                .body("code", equalTo("delivery_not_pending")).body("detail", containsString("/redeliver"));
    }

    @Test
    void attemptNowAnswersWithTheDeliverysRealLastAttempt() throws Exception {
        String path = "/last-attempt";
        String[] w = DeliveryFlowTest.webhookAt(path, List.of("patients.updated"));
        String env = w[0];
        // paused, so the attempt made due is held by the engine, not attempted: the answer has exactly two attempts
        io.keyhook.common.contract.WebhookState s = io.keyhook.dispatcher.DispatcherViews.awaitWebhook(w[1], 1);
        io.keyhook.dispatcher.Topics.send("keyhook.webhooks", w[1],
                JSON.writeValueAsString(new io.keyhook.common.contract.WebhookState(s.schemaVersion(), s.id(),
                        s.environment(), s.url(), s.notificationTypes(), true, s.security(), 2, s.createdAt(),
                        s.updatedAt(), s.purpose(), s.tuning())));
        io.keyhook.dispatcher.DispatcherViews.awaitWebhook(w[1], 2);
        String base = "/api/v1/environments/" + env + "/webhooks/" + w[1] + "/deliveries";
        // two failed attempts, the next one in an hour
        String id = "dl_" + System.nanoTime();
        pool.preparedQuery("insert into dispatcher.deliveries (id, webhook_id, environment, event_id, msg_id, type,"
                + " ordering_key, body, status, attempts, next_attempt_at, last_status, created_at) values ($1, $2, $3,"
                + " $4, $5, 'patients.updated', 'p-1', '{}', 'pending', 2, now() + interval '1 hour', 500, now())")
                .execute(Tuple.of(id, w[1], env, "ev-" + id, "msg_" + id)).await().indefinitely();
        pool.preparedQuery("insert into dispatcher.attempts (delivery_id, attempt, started_at, latency_ms, status_code,"
                + " error) values ($1, 1, now() - interval '5 minutes', 12, 503, 'unavailable'),"
                + " ($1, 2, now() - interval '1 minute', 34, 500, 'server error')").execute(Tuple.of(id)).await()
                .indefinitely();

        given().auth().oauth2(TestTokens.admin(env)).post(base + "/" + id + "/attempt-now").then().statusCode(200)
                .body("id", equalTo(id)).body("attempts", equalTo(2)).body("lastAttempt.attempt", equalTo(2))
                .body("lastAttempt.statusCode", equalTo(500)).body("lastAttempt.latencyMs", equalTo(34));
    }
}
