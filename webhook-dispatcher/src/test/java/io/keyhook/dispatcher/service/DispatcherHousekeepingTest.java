package io.keyhook.dispatcher.service;

import static io.keyhook.dispatcher.service.DeliveryFlowTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dispatcher's scheduled housekeeping, run by the test rather than waited for (its first rounds come 30 s and a
 * minute after start): what it must leave alone it leaves alone. (What it removes: DeliveryEdgesTest, through the
 * store.)
 */
@QuarkusTest
class DispatcherHousekeepingTest {

    @Inject
    DispatcherHousekeeping housekeeping;

    @Inject
    DeliveryStore store;

    @Test
    void aStillPausedWebhooksHeldDeliveriesStayHeld() throws Exception {
        String[] w = DeliveryEdgesTest.webhook(DeliveryEdgesTest.RECEIVER.url() + "/still-paused", "standard-webhooks",
                null, true);
        event(w[0], "sp1", "patients.updated", "sp-1");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.count(w[1], "held").await().indefinitely() == 1);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.webhooksWithHeld().await().indefinitely().contains(w[1]));
        housekeeping.releaseUnpaused().await().atMost(Duration.ofSeconds(20));
        assertEquals(1L, store.count(w[1], "held").await().indefinitely(), "released only on resume");
        assertEquals(0L, store.count(w[1], "pending").await().indefinitely());
    }

    @Test
    void aFreshDeliveryIsKeptByTheLogsRetention() throws Exception {
        String[] w = DeliveryEdgesTest.webhook(DeliveryEdgesTest.RECEIVER.url() + "/kept", "standard-webhooks", null,
                false);
        event(w[0], "k1", "patients.updated", "k-1");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> store.count(w[1], "delivered").await().indefinitely() == 1);
        // log-retention (30 d) and delivered-log-retention (unset: the same): nothing of today goes
        housekeeping.pruneLog().await().atMost(Duration.ofSeconds(20));
        assertEquals(1L, store.count(w[1], "delivered").await().indefinitely());
    }
}
