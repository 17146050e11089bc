package io.keyhook.dispatcher.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.dispatcher.DispatcherViews;
import io.keyhook.dispatcher.Topics;
import io.keyhook.dispatcher.service.DeliveryFlowTest;
import io.keyhook.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * A data service follows its event by id: the webhooks it went to and each delivery's state, or why it went nowhere, or
 * that it was dead-lettered. Dropped events are kept with their ids; nothing of another Environment is visible, and a
 * hostile id is never kept.
 */
@QuarkusTest
class EventTrailTest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static Response trail(String env, String eventId) {
        return given().auth().oauth2(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/events/{eventId}",
                eventId);
    }

    private static void awaitTrail(String env, String eventId) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> trail(env, eventId).statusCode() == 200);
    }

    @Test
    void eachEventSaysWhereItWentOrWhyItWentNowhere() throws Exception {
        String[] w = DeliveryFlowTest.webhookAt("/trail", List.of("patients.updated"));
        String env = w[0];
        DroppedEventsApiTest.environment(env, "patients", "encounters");
        String bare = "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        DroppedEventsApiTest.environment(bare, "patients");
        DispatcherViews.awaitEnvironment(env);
        DispatcherViews.awaitEnvironment(bare);

        DeliveryFlowTest.event(env, "t1", "patients.updated", "p-1");
        DeliveryFlowTest.event(env, "t2", "patients.deleted", "p-2");
        DeliveryFlowTest.event(env, "t3", "invoices.updated", "i-1");
        // a usable id and Environment, unusable data: dead-lettered, and followable
        Topics.send("keyhook.data-changes", env, "{\"specversion\":\"1.0\",\"id\":\"t4\",\"source\":\"/x\","
                + "\"type\":\"patients.updated\",\"environment\":\"" + env + "\",\"data\":{\"resourceId\":\"p-4\"}}");
        // hostile ids: a NUL, and one too long; dead-lettered, never kept
        Topics.send("keyhook.data-changes", env, "{\"specversion\":\"1.0\",\"id\":\"t5\\u0000x\",\"source\":\"/x\","
                + "\"type\":\"patients.updated\",\"environment\":\"" + env + "\",\"data\":{}}");
        Topics.send("keyhook.data-changes", env, "{\"specversion\":\"1.0\",\"id\":\"" + "t".repeat(300)
                + "\",\"source\":\"/x\",\"type\":\"patients.updated\",\"environment\":\"" + env + "\",\"data\":{}}");
        DeliveryFlowTest.event(bare, "t6", "patients.updated", "p-6");
        DeliveryFlowTest.event(env, "t7", "patients.updated", "p-7"); // read after all the above

        for (String delivered : new String[] { "t1", "t7" }) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "delivered"
                    .equals(trail(env, delivered).then().extract().jsonPath().getString("deliveries[0].status")));
        }
        awaitTrail(env, "t4");
        awaitTrail(bare, "t6");
        trail(env, "t1").then().statusCode(200).body("eventId", equalTo("t1")).body("environment", equalTo(env))
                .body("disposition", equalTo("delivered_to_webhooks")).body("type", equalTo("patients.updated"))
                .body("resourceId", equalTo("p-1")).body("subject", equalTo("p-1")).body("receivedAt", notNullValue())
                .body("reason", nullValue()).body("deliveries", hasSize(1))
                .body("deliveries[0].webhookId", equalTo(w[1])).body("deliveries[0].status", equalTo("delivered"))
                .body("deliveries[0].attempts", equalTo(1)).body("deliveries[0].lastStatus", equalTo(200))
                .body("deliveries[0].lastAttemptAt", notNullValue()).body("deliveries[0].deliveryId", notNullValue());
        awaitTrail(env, "t2");
        trail(env, "t2").then().body("disposition", equalTo("dropped")).body("reason", equalTo("not_opted_in"))
                .body("type", equalTo("patients.deleted")).body("resourceId", equalTo("p-2"))
                .body("deliveries", hasSize(0));
        awaitTrail(env, "t3");
        trail(env, "t3").then().body("disposition", equalTo("dropped")).body("reason", equalTo("unknown_type"));
        trail(env, "t4").then().body("disposition", equalTo("dead_lettered")).body("reason", equalTo("bad_data"))
                .body("detail", containsString("data needs")).body("resourceId", equalTo("p-4"));
        trail(bare, "t6").then().body("disposition", equalTo("dropped")).body("reason", equalTo("no_webhook"));

        // never another Environment's: its admin gets 404 for the Environment, and the id is not found in another
        trail(bare, "t1").then().statusCode(404).contentType("application/problem+json").body("code",
                equalTo("event_not_found"));
        given().auth().oauth2(TestTokens.admin(bare)).get("/api/v1/environments/" + env + "/events/t1").then()
                .statusCode(404);
        trail(env, "never-published").then().statusCode(404).body("code", equalTo("event_not_found"));
        trail(env, "t".repeat(300)).then().statusCode(422).contentType("application/problem+json").body("code",
                equalTo("validation_failed"));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/environments/" + env + "/events/t1").then()
                .statusCode(403);

        // the Environment's dropped events with their ids, newest first; the hostile ones are not among them
        String recent = "/api/v1/environments/" + env + "/dropped-events/recent";
        JsonPath all = given().auth().oauth2(TestTokens.admin(env)).get(recent).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(List.of("t4", "t3", "t2"), all.getList("items.eventId"));
        assertEquals(List.of("dead_lettered", "dropped", "dropped"), all.getList("items.disposition"));
        given().auth().oauth2(TestTokens.admin(env)).get(recent + "?reason=not_opted_in").then()
                .body("items.eventId", equalTo(List.of("t2"))).body("nextCursor", nullValue());
        List<Object> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = given().auth().oauth2(TestTokens.admin(env))
                    .get(recent + "?limit=1" + (cursor == null ? "" : "&cursor=" + cursor)).then().statusCode(200)
                    .extract().jsonPath();
            paged.addAll(page.getList("items.eventId"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertEquals(List.of("t4", "t3", "t2"), paged);
        given().auth().oauth2(TestTokens.admin(env)).get(recent + "?cursor=forged").then().statusCode(400).body("code",
                equalTo("invalid_cursor"));
        given().auth().oauth2(TestTokens.admin(env)).get(recent + "?limit=9999").then().statusCode(400);
        given().auth().oauth2(TestTokens.admin("elsewhere")).get(recent).then().statusCode(404);
    }

    @Test
    void aHeldDeliverySaysItWaitsForThePausedWebhook() throws Exception {
        String[] w = DeliveryFlowTest.webhookAt("/trail-paused", List.of("patients.updated"));
        String env = w[0];
        WebhookState s = DispatcherViews.awaitWebhook(w[1], 1);
        Topics.send("keyhook.webhooks", w[1],
                JSON.writeValueAsString(
                        new WebhookState(s.schemaVersion(), s.id(), s.environment(), s.url(), s.notificationTypes(),
                                true, s.security(), 2, s.createdAt(), s.updatedAt(), s.purpose(), s.tuning())));
        DispatcherViews.awaitWebhook(w[1], 2);
        DeliveryFlowTest.event(env, "h1", "patients.updated", "p-1");
        awaitTrail(env, "h1");
        trail(env, "h1").then().body("disposition", equalTo("delivered_to_webhooks"))
                .body("deliveries[0].status", equalTo("held")).body("deliveries[0].reason", equalTo("paused"))
                .body("deliveries[0].attempts", equalTo(0)).body("deliveries[0].lastAttemptAt", nullValue());
    }
}
