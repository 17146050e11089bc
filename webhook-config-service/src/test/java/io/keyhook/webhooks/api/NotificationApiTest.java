package io.keyhook.webhooks.api;

import static io.keyhook.webhooks.api.WebhookApiTest.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.common.contract.OperationalEvent;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.support.OperationalEvents;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;

/** Issue 31: an Environment's notification addresses and its activity feed. */
@QuarkusTest
class NotificationApiTest {

    @Inject
    EnvironmentView view;

    static String settings(String env) {
        return "/api/v1/environments/" + env + "/notification-settings";
    }

    static String activity(String env) {
        return "/api/v1/environments/" + env + "/activity";
    }

    @Test
    void notificationAddressesAreCheckedStrictlyStoredAndAudited() {
        String env = Environments.create(view, "patients");
        as(env).get(settings(env)).then().statusCode(200).body("emails", empty());
        as(env).body(Map.of("emails", List.of("ops@example.org", "oncall+keyhook@hospital.example.com")))
                .put(settings(env)).then().statusCode(200)
                .body("emails", contains("ops@example.org", "oncall+keyhook@hospital.example.com"));
        as(env).get(settings(env)).then().body("emails",
                contains("ops@example.org", "oncall+keyhook@hospital.example.com"));

        for (String bad : List.of("ops@example.org\r\nBcc: evil@attacker.test", "Ops <ops@example.org>",
                "ops@example.org\u0000", "ops @example.org", "\"ops\"@example.org", "ops@localhost", "ops@[10.0.0.1]",
                "a".repeat(65) + "@example.org", "ops@" + "a".repeat(250) + ".org",
                "ops@example.org,evil@attacker.test", "")) {
            as(env).body(Map.of("emails", List.of("fine@example.org", bad))).put(settings(env)).then().statusCode(422)
                    .contentType("application/problem+json").body("code", equalTo("invalid_email"))
                    .body("errors.field", contains("emails[1]"));
        }
        as(env).body(Map.of("emails", List.of("ops@example.org", "OPS@example.org"))).put(settings(env)).then()
                .statusCode(422).body("code", equalTo("duplicate_email"));
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add("ops" + i + "@example.org");
        }
        as(env).body(Map.of("emails", eleven)).put(settings(env)).then().statusCode(422).body("code",
                equalTo("too_many_addresses"));
        as(env).body("{\"emails\": null}").put(settings(env)).then().statusCode(422);
        // nothing refused was saved
        as(env).get(settings(env)).then().body("emails", hasSize(2));
        as(env).get("/api/v1/environments/" + env + "/webhook-audit").then()
                .body("items[0].action", equalTo("notification-settings.update"))
                .body("items[0].result", equalTo("refused:too_many_addresses"))
                .body("items.find { it.result == 'success' }.action", equalTo("notification-settings.update"));

        // another Environment's admin cannot see or change them
        String other = Environments.create(view, "patients");
        as(other).get(settings(env)).then().statusCode(404);
        as(other).body(Map.of("emails", List.of())).put(settings(env)).then().statusCode(404);
    }

    @Test
    void theActivityFeedKeepsEachEventOnceNewestFirstByTypeAndPaged() {
        String env = Environments.create(view, "patients");
        String other = Environments.create(view, "patients");
        OperationalEvent first = OperationalEvents.failing(env, "opev_failing_wh_A1_1", "wh_A1",
                "503 Service Unavailable");
        OperationalEvent second = new OperationalEvent("opev_recovered_wh_A1_1", "/keyhook/webhook-dispatcher",
                OperationalEvent.WEBHOOK_RECOVERED, first.time().plusSeconds(60), "wh_A1", env,
                Map.of("webhookId", "wh_A1", "failingSince", "2026-12-01T08:00:00Z"));
        // the same fact twice (a retried emitter), and another Environment's event
        OperationalEvents.publish(List.of(first, first, second,
                OperationalEvents.failing(other, "opev_failing_wh_B1_1", "wh_B1", "timeout")));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(env).get(activity(env)).then()
                .statusCode(200).body("items.id", contains("opev_recovered_wh_A1_1", "opev_failing_wh_A1_1")));
        as(env).get(activity(env)).then().body("items[1].type", equalTo("keyhook.webhook.failing"))
                .body("items[1].subject", equalTo("wh_A1"))
                .body("items[1].data.lastError", equalTo("503 Service Unavailable"))
                .body("items[1].data.consecutiveFailures", equalTo(12)).body("items[1].receivedAt", notNullValue())
                .body("items[1].time", notNullValue()).body("nextCursor", nullValue());
        as(env).queryParam("type", "keyhook.webhook.failing").get(activity(env)).then().body("items.id",
                contains("opev_failing_wh_A1_1"));
        String next = as(env).queryParam("limit", 1).get(activity(env)).then()
                .body("items.id", contains("opev_recovered_wh_A1_1")).extract().path("nextCursor");
        as(env).queryParam("limit", 1).queryParam("cursor", next).get(activity(env)).then()
                .body("items.id", contains("opev_failing_wh_A1_1")).body("nextCursor", nullValue());
        // as the audit endpoints: a parameter outside its pattern or range is a validation failure
        as(env).queryParam("cursor", "x1").get(activity(env)).then().statusCode(422)
                .contentType("application/problem+json");
        as(env).queryParam("limit", 0).get(activity(env)).then().statusCode(422);
        as(env).queryParam("cursor", "9999999999999999999").get(activity(env)).then().statusCode(400).body("code",
                equalTo("invalid_cursor"));
        as(env).get(activity(other)).then().statusCode(404);
    }
}
