package io.keyhook.webhooks.api;

import static io.keyhook.webhooks.api.WebhookApiTest.as;
import static io.keyhook.webhooks.api.WebhookApiTest.base;
import static io.keyhook.webhooks.api.WebhookApiTest.secret;
import static io.keyhook.webhooks.api.WebhookApiTest.webhook;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.testing.Race;
import io.keyhook.testing.TestTokens;
import io.keyhook.testing.TopicReader;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.support.OperationalEvents;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;

/** Issue 31: the Environment's operational webhook, and why a webhook is paused (the disabled event). */
@QuarkusTest
class OperationalWebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EnvironmentView view;

    static Map<String, Object> operational(String env) {
        return Map.of("url", "https://receiver.example.com/ops", "purpose", "operational", "security",
                Map.of("method", "standard-webhooks", "secretIds", List.of(secret(env))));
    }

    @Test
    void anEnvironmentHasOneOperationalWebhookBesideItsDataWebhookAndItsPurposeNeverChanges() throws Exception {
        String env = Environments.create(view, "patients");
        String data = as(env)
                .body(webhook("https://receiver.example.com/h", List.of("patients.created"), "standard-webhooks",
                        List.of(secret(env))))
                .post(base(env)).then().statusCode(201).body("purpose", equalTo("data")).extract().path("id");
        // the limit of one (data) webhook does not count the operational one
        String ops = as(env).body(operational(env)).post(base(env)).then().statusCode(201)
                .body("purpose", equalTo("operational")).body("notificationTypes", empty())
                .body("pausedReason", nullValue()).extract().path("id");
        as(env).body(operational(env)).post(base(env)).then().statusCode(409).body("code",
                equalTo("operational_webhook_exists"));
        Map<String, Object> withTypes = new HashMap<>(operational(env));
        withTypes.put("notificationTypes", List.of("patients.created"));
        as(env).body(withTypes).post(base(env)).then().statusCode(400).body("code",
                equalTo("notification_types_not_applicable"));

        as(env).body(Map.of("purpose", "data")).patch(base(env) + "/" + ops).then().statusCode(409).body("code",
                equalTo("purpose_immutable"));
        as(env).body(Map.of("purpose", "operational")).patch(base(env) + "/" + data).then().statusCode(409).body("code",
                equalTo("purpose_immutable"));
        as(env).body(Map.of("notificationTypes", List.of("patients.created"))).patch(base(env) + "/" + ops).then()
                .statusCode(400).body("code", equalTo("notification_types_not_applicable"));
        // a PUT that leaves purpose out keeps it
        Map<String, Object> put = new HashMap<>(operational(env));
        put.remove("purpose");
        put.put("url", "https://receiver.example.com/ops-v2");
        as(env).body(put).put(base(env) + "/" + ops).then().statusCode(200).body("purpose", equalTo("operational"))
                .body("url", equalTo("https://receiver.example.com/ops-v2"));
        as(env).get("/api/v1/environments/" + env + "/webhook-limits").then().body("webhooks", equalTo(1));

        // published: purpose for the operational webhook only, a data webhook's record as before issue 31
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> latest(ops) != null && latest(data) != null);
        assertEquals("operational", latest(ops).path("purpose").asText());
        assertFalse(latest(data).has("purpose"), latest(data).toString());
    }

    @Test
    void twoOperationalWebhooksCreatedAtOnceNeverBothSucceed() throws Exception {
        String env = Environments.create(view, "patients");
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        List<Map<String, Object>> bodies = List.of(operational(env), operational(env), operational(env));
        try (Race race = new Race(3, 31)) {
            race.run(bodies.stream()
                    .<Runnable> map(b -> () -> statuses.add(as(env).body(b).post(base(env)).statusCode())).toList());
        }
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(2, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
    }

    @Test
    void aWebhookDisabledForFailingSaysSoIsAnnouncedAndAnAdminsResumeClearsIt() throws Exception {
        String env = Environments.create(view, "patients");
        String id = as(env).body(webhook("https://receiver.example.com/h", List.of("patients.created"),
                "standard-webhooks", List.of(secret(env)))).post(base(env)).then().statusCode(201).extract().path("id");
        given().auth().oauth2(TestTokens.service()).contentType("application/json")
                .body(Map.of("reason", "failing since 5 days", "code", "failing", "failingSince",
                        "2026-12-01T08:00:00Z"))
                .post("/internal/v1/webhooks/" + id + "/disable").then().statusCode(200).body("paused", equalTo(true))
                .body("pausedReason", equalTo("failing")).body("pausedAt", notNullValue());
        as(env).get(base(env) + "/" + id).then().body("pausedReason", equalTo("failing"));
        as(env).get("/api/v1/environments/" + env + "/webhook-audit").then()
                .body("items[0].action", equalTo("webhook.disable")).body("items[0].detail", containsString("failing"));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> disabledEvent(id) != null);
        JsonNode event = disabledEvent(id);
        assertEquals(env, event.path("environment").asText());
        assertEquals(id, event.path("subject").asText());
        assertEquals("failing", event.path("data").path("reason").asText());
        assertEquals("2026-12-01T08:00:00Z", event.path("data").path("failingSince").asText());
        assertEquals("https://receiver.example.com/h", event.path("data").path("url").asText());
        assertTrue(event.path("data").has("disabledAt"));

        as(env).post(base(env) + "/" + id + "/resume").then().statusCode(200).body("paused", equalTo(false))
                .body("pausedReason", nullValue()).body("pausedAt", nullValue());
        as(env).post(base(env) + "/" + id + "/pause").then().statusCode(200).body("pausedReason", equalTo("manual"));
    }

    @Test
    void withoutFailingSinceTheDisabledEventTakesItFromTheWebhooksLatestFailingEvent() throws Exception {
        String env = Environments.create(view, "patients");
        String id = as(env).body(webhook("https://receiver.example.com/h", List.of("patients.created"),
                "standard-webhooks", List.of(secret(env)))).post(base(env)).then().statusCode(201).extract().path("id");
        OperationalEvents.publish(List.of(OperationalEvents.failing(env, "opev_failing_" + id + "_1", id, "503")));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(env)
                .get("/api/v1/environments/" + env + "/activity").then().body("items.subject", contains(id)));
        // the dispatcher's request: reason and code only
        given().auth().oauth2(TestTokens.service()).contentType("application/json")
                .body(Map.of("reason", "failing for 5 days", "code", "failing"))
                .post("/internal/v1/webhooks/" + id + "/disable").then().statusCode(200)
                .body("pausedReason", equalTo("failing"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> disabledEvent(id) != null);
        assertEquals("2026-12-01T08:00:00Z", disabledEvent(id).path("data").path("failingSince").asText());
    }

    @Test
    void theOperationalWebhookIsNeverDisabledForFailingButIsForGone() {
        String env = Environments.create(view, "patients");
        String ops = as(env).body(operational(env)).post(base(env)).then().statusCode(201).extract().path("id");
        String disable = "/internal/v1/webhooks/" + ops + "/disable";
        given().auth().oauth2(TestTokens.service()).contentType("application/json")
                .body(Map.of("reason", "failing", "code", "failing")).post(disable).then().statusCode(409)
                .body("code", equalTo("operational_webhook_not_disabled"));
        as(env).get(base(env) + "/" + ops).then().body("paused", equalTo(false));
        given().auth().oauth2(TestTokens.service()).contentType("application/json")
                .body(Map.of("reason", "x", "code", "sleepy")).post(disable).then().statusCode(422)
                .body("code", equalTo("validation_failed"));
        // no code: gone, as before issue 31
        given().auth().oauth2(TestTokens.service()).contentType("application/json")
                .body(Map.of("reason", "receiver answered 410 Gone")).post(disable).then().statusCode(200)
                .body("pausedReason", equalTo("gone"));
    }

    private static JsonNode latest(String webhookId) throws Exception {
        JsonNode last = null;
        for (var r : TopicReader.readAll("keyhook.webhooks")) {
            if (webhookId.equals(r.key()) && r.value() != null) {
                last = JSON.readTree(r.value());
            }
        }
        return last;
    }

    private static JsonNode disabledEvent(String webhookId) throws Exception {
        for (var r : TopicReader.readAll(OperationalEvents.TOPIC)) {
            JsonNode e = JSON.readTree(r.value());
            if ("keyhook.webhook.disabled".equals(e.path("type").asText())
                    && webhookId.equals(e.path("subject").asText())) {
                return e;
            }
        }
        return null;
    }
}
