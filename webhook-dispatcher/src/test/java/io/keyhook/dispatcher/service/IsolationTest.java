package io.keyhook.dispatcher.service;

import static io.keyhook.dispatcher.service.DeliveryFlowTest.at;
import static io.keyhook.dispatcher.service.DeliveryFlowTest.event;
import static io.keyhook.dispatcher.service.DeliveryFlowTest.webhookAt;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.keyhook.dispatcher.DispatcherViews;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One failing receiver: its breaker opens, its deliveries are stored instead of attempted, the other webhooks keep
 * receiving; once it answers again its stored deliveries go out. And an event read twice is sent once.
 */
@QuarkusTest
public class IsolationTest {

    /** The delivery waits below measure deliveries, not the event consumer's first group join. */
    @BeforeEach
    void eventConsumerReads() {
        DispatcherViews.awaitEventConsumer();
    }

    @Inject
    Lanes lanes;

    @Inject
    DeliveryStore store;

    @Inject
    MeterRegistry registry;

    @Test
    void aFailingReceiversBreakerOpensAndItsDeliveriesWaitInTheStoreWhileOthersReceive() throws Exception {
        String[] down = webhookAt("/down", List.of("patients.updated"));
        String[] up = webhookAt("/up", List.of("patients.updated"));
        DeliveryFlowTest.FAILURES_LEFT.put("/down", new AtomicInteger(1_000_000));
        double spilledBefore = spilled();
        for (int i = 0; i < 30; i++) {
            event(down[0], "down-" + i, "patients.updated", "d-" + i);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> lanes.isOpen(down[1]));
        for (int i = 0; i < 5; i++) {
            event(up[0], "up-" + i, "patients.updated", "u-" + i);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> at("/up").size() == 5);
        // while open: no attempts at all to the failing receiver, its new deliveries are stored
        int attemptsWhileOpen = at("/down").size();
        for (int i = 30; i < 40; i++) {
            event(down[0], "down-" + i, "patients.updated", "d-" + i);
        }
        // all ten were routed and stored for later instead of attempted
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> spilled() - spilledBefore >= 10);
        assertTrue(lanes.isOpen(down[1]), "open for 2 s in the test profile");
        assertEquals(attemptsWhileOpen, at("/down").size(), "no attempt while the breaker is open");
        // admins see it in the delivery log: open, and until when (half-open once the 2 s pause is over, on a slow
        // machine, before the next attempt; then the trial closes it or opens it again)
        String log = "/api/v1/environments/" + down[0] + "/webhooks/" + down[1] + "/deliveries";
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> List.of("open", "half_open").contains(given().auth().oauth2(TestTokens.admin(down[0]))
                        .get(log).then().statusCode(200).extract().path("breaker.state")));
        String until = given().auth().oauth2(TestTokens.admin(down[0])).get(log).then().extract()
                .path("breaker.openUntil");
        assertTrue(Instant.parse(until).isAfter(Instant.now().minusSeconds(10)), "openUntil is the end of the pause");
        given().auth().oauth2(TestTokens.admin(down[0])).get("/api/v1/environments/" + down[0] + "/breakers").then()
                .statusCode(200).body("breakers." + down[1] + ".openUntil", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(TestTokens.admin(up[0]))
                .get("/api/v1/environments/" + up[0] + "/webhooks/" + up[1] + "/deliveries").then().statusCode(200)
                .body("breaker.state", equalTo("closed"));

        DeliveryFlowTest.FAILURES_LEFT.get("/down").set(0);
        // after the pause the engine sends what was stored; every event ends delivered (or failed after its retries)
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> store.count(down[1], "delivered").await().indefinitely()
                        + store.count(down[1], "failed").await().indefinitely() == 40);
        assertTrue(store.count(down[1], "delivered").await().indefinitely() >= 10,
                "the stored deliveries went out once the receiver answered");
        assertTrue(!lanes.isOpen(down[1]), "the breaker closes when an attempt succeeds");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "closed".equals(
                given().auth().oauth2(TestTokens.admin(down[0])).get(log).then().extract().path("breaker.state")));
    }

    @Test
    void anEventReadAgainAfterItWasLoggedIsNotSentAgain() throws Exception {
        String[] w = webhookAt("/once", List.of("patients.updated"));
        event(w[0], "once-1", "patients.updated", "o-1");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> store.count(w[1], "delivered").await().indefinitely() == 1);
        event(w[0], "once-1", "patients.updated", "o-1");
        event(w[0], "once-2", "patients.updated", "o-1");
        // the repeat precedes once-2 on the record's partition and lane: were it sent again, it would have arrived
        // first
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> store.count(w[1], "delivered").await().indefinitely() == 2);
        assertEquals(2, at("/once").size(), "the repeated event was skipped, the next one of the record was sent");
    }

    private double spilled() {
        var c = registry.find("keyhook.dispatcher.deliveries.stored").tag("reason", "spilled").counter();
        return c == null ? 0 : c.count();
    }
}
