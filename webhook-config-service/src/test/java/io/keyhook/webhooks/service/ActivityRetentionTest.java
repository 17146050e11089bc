package io.keyhook.webhooks.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.support.OperationalEvents;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The activity feed keeps events for the retention (30 days) only; an Environment without addresses gets no mail. */
@QuarkusTest
class ActivityRetentionTest {

    @Inject
    EnvironmentView view;

    @Inject
    ActivityStore store;

    @Inject
    Pool pool;

    @Test
    void eventsPastTheRetentionAreDeletedAndNewerOnesStayWithoutAddressesNothingIsQueued() {
        String env = Environments.create(view, "patients");
        OperationalEvents.publish(List.of(OperationalEvents.failing(env, "opev_failing_wh_Old_1", "wh_Old", "x"),
                OperationalEvents.failing(env, "opev_failing_wh_New_1", "wh_New", "x")));
        String feed = "/api/v1/environments/" + env + "/activity";
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().auth().oauth2(Environments.admin(env)).get(feed).then().statusCode(200)
                        .body("items.id", contains("opev_failing_wh_New_1", "opev_failing_wh_Old_1")));
        // no notification addresses: nothing waits for an e-mail
        assertEquals(0L, pool.preparedQuery("select count(*) from webhooks.notification_queue where environment = $1")
                .execute(Tuple.of(env)).await().indefinitely().iterator().next().getLong(0));

        pool.preparedQuery("update webhooks.activity set received_at = $2 where environment = $1 and event_id = $3")
                .execute(Tuple.of(env, Instant.now().minus(Duration.ofDays(31)).atOffset(ZoneOffset.UTC),
                        "opev_failing_wh_Old_1"))
                .await().indefinitely();
        store.prune().await().indefinitely();
        given().auth().oauth2(Environments.admin(env)).get(feed).then().body("items.id",
                contains("opev_failing_wh_New_1"));
    }
}
