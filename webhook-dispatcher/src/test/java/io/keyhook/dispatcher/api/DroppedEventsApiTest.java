package io.keyhook.dispatcher.api;

import static io.keyhook.dispatcher.service.DeliveryFlowTest.event;
import static io.keyhook.dispatcher.service.DeliveryFlowTest.webhookAt;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.dispatcher.DispatcherViews;
import io.keyhook.dispatcher.Topics;
import io.keyhook.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * An Environment's admins see how many of its events became no delivery, and why, through the API: not only the
 * suite-wide Prometheus counter.
 */
@QuarkusTest
class DroppedEventsApiTest {

    @Inject
    MeterRegistry registry;

    static void environment(String env, String... dataTypes) throws Exception {
        Topics.send("keyhook.environments", env,
                "{\"schemaVersion\":1,\"id\":\"" + env + "\",\"name\":\"x\","
                        + "\"configuration\":{\"name\":\"c\",\"version\":1,\"dataTypes\":[\""
                        + String.join("\",\"", dataTypes) + "\"]},\"updatedAt\":\"2026-11-28T10:00:00Z\"}");
    }

    static JsonPath dropped(String env) {
        return given().auth().oauth2(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/dropped-events")
                .then().statusCode(200).extract().jsonPath();
    }

    static long count(String env, String reason, String type) {
        return dropped(env).getList("items", java.util.Map.class).stream()
                .filter(m -> reason.equals(m.get("reason")) && type.equals(m.get("type")))
                .mapToLong(m -> ((Number) m.get("count")).longValue()).sum();
    }

    private static void probe(String env, String type, String reason) throws Exception {
        DispatcherViews.awaitEnvironment(env);
        event(env, "probe-" + System.nanoTime(), type, "probe");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(env, reason, type) >= 1);
    }

    private double droppedWithoutWebhook() {
        var c = registry.find("keyhook.dispatcher.events.dropped").tag("reason", "no_webhook").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void eventsNoWebhookWantedAreCountedPerEnvironmentReasonAndType() throws Exception {
        String[] w = webhookAt("/dropped", List.of("patients.updated"));
        String env = w[0];
        environment(env, "patients", "encounters");
        String bare = "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        environment(bare, "patients");
        given().auth().oauth2(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/dropped-events").then()
                .statusCode(200).body("items", empty());
        // the dispatcher learns of the Environments and the webhook from Kafka a moment later: once its views know
        // them, a probe with a type of its own is counted, so the events below meet views that know them
        probe(env, "encounters.deleted", "not_opted_in");
        probe(bare, "patients.created", "no_webhook");

        event(env, "d1", "patients.deleted", "p-1");
        event(env, "d2", "patients.deleted", "p-2");
        event(env, "d3", "encounters.created", "e-1");
        event(env, "d4", "invoices.updated", "i-1"); // not in the Configuration: dead-lettered, counted without type
        event(env, "d5", "patients.updated", "p-3"); // delivered, not counted
        event(bare, "d6", "patients.updated", "p-4"); // no webhook at all
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> count(env, "not_opted_in", "patients.deleted") == 2
                        && count(env, "not_opted_in", "encounters.created") == 1
                        && count(env, "unknown_type", "") == 1);
        given().auth().oauth2(TestTokens.admin(env)).get("/api/v1/environments/" + env + "/dropped-events").then()
                .body("items", hasSize(4)).body("items.find { it.type == 'patients.deleted' }.firstAt", notNullValue());
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> count(bare, "no_webhook", "patients.updated") == 1);

        // another tenant sees none of it, and an Environment the caller may not see answers 404
        given().auth().oauth2(TestTokens.admin("elsewhere")).get("/api/v1/environments/" + env + "/dropped-events")
                .then().statusCode(404);
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/environments/" + env + "/dropped-events").then()
                .statusCode(403);
        // an Environment the dispatcher does not know is not counted (made-up ids must not grow the table)
        String unknown = "env-" + SecretGenerator.newId("").toLowerCase().substring(0, 8);
        double droppedBefore = droppedWithoutWebhook();
        event(unknown, "d7", "patients.updated", "p-5");
        event(bare, "d8", "patients.updated", "p-6");
        // both were routed (dropped: no webhook), and the count of the second one was written after both: so was any
        // count of the first
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> droppedWithoutWebhook() >= droppedBefore + 2
                && count(bare, "no_webhook", "patients.updated") == 2);
        given().auth().oauth2(TestTokens.admin(unknown)).get("/api/v1/environments/" + unknown + "/dropped-events")
                .then().statusCode(200).body("items", empty());
    }
}
