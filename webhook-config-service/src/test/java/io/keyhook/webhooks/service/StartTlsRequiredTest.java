package io.keyhook.webhooks.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.support.OperationalEvents;
import io.keyhook.webhooks.support.Smtp;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code keyhook.notifications.smtp.start-tls=REQUIRED} is honoured: the test SMTP server (GreenMail) does not offer
 * STARTTLS, so nothing is sent in clear text to it; the events stay queued and the failure is recorded for a retry.
 */
@QuarkusTest
@TestProfile(StartTlsRequiredTest.Required.class)
class StartTlsRequiredTest {

    public static class Required implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyhook.notifications.smtp.start-tls", "REQUIRED");
        }
    }

    @Inject
    EnvironmentView view;

    @Inject
    Pool pool;

    @Test
    void aServerWithoutStartTlsGetsNothingAndTheEventsWait() {
        String address = "ops-tls@hospital.example.org";
        String env = Environments.create(view, "patients");
        given().auth().oauth2(Environments.admin(env)).contentType("application/json")
                .body(Map.of("emails", List.of(address))).put("/api/v1/environments/" + env + "/notification-settings")
                .then().statusCode(200);
        OperationalEvents.publish(List.of(OperationalEvents.failing(env, "opev_failing_wh_Tls_1", "wh_Tls", "x")));
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> window(env, "failures") != null && Integer.parseInt(window(env, "failures")) >= 1);
        assertTrue(window(env, "last_error").toLowerCase().contains("tls"), window(env, "last_error"));
        assertEquals(0, Smtp.shared().to(address).size());
        assertEquals(1L,
                pool.preparedQuery("select count(*) from webhooks.notification_queue where environment = $1"
                        + " and sent_at is null").execute(Tuple.of(env)).await().indefinitely().iterator().next()
                        .getLong(0));
    }

    private String window(String env, String column) {
        var rows = pool
                .preparedQuery(
                        "select " + column + "::text from webhooks.notification_windows" + " where environment = $1")
                .execute(Tuple.of(env)).await().indefinitely();
        return rows.size() == 0 ? null : rows.iterator().next().getString(0);
    }
}
