package io.keyhook.dispatcher.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The ordering promise, step by step. */
class DeliveryLanesTest {

    private static List<String> started(DeliveryLanes<String> lanes) {
        return lanes.start().stream().map(DeliveryLanes.Started::delivery).toList();
    }

    @Test
    void differentRecordsGoOutTogetherAndTheSameRecordWaits() {
        DeliveryLanes<String> lanes = new DeliveryLanes<>(10);
        lanes.offer("p-1", "p-1 v1");
        lanes.offer("p-2", "p-2 v1");
        lanes.offer("p-1", "p-1 v2");
        lanes.offer("p-3", "p-3 v1");
        assertEquals(List.of("p-1 v1", "p-2 v1", "p-3 v1"), started(lanes));
        // p-1 v1 is being retried: p-1 v2 must wait, however long that takes
        assertEquals(List.of(), started(lanes));
        lanes.done("p-2");
        assertEquals(List.of(), started(lanes));
        lanes.done("p-1");
        assertEquals(List.of("p-1 v2"), started(lanes));
        assertEquals(2, lanes.inFlight());
        assertEquals(0, lanes.waiting());
    }

    @Test
    void concurrencyIsBoundedPerWebhookAndOldestKeysGoFirst() {
        DeliveryLanes<String> lanes = new DeliveryLanes<>(2);
        for (int i = 1; i <= 5; i++) {
            lanes.offer("r-" + i, "e" + i);
        }
        assertEquals(List.of("e1", "e2"), started(lanes));
        lanes.done("r-2");
        assertEquals(List.of("e3"), started(lanes));
        lanes.done("r-1");
        lanes.done("r-3");
        assertEquals(List.of("e4", "e5"), started(lanes));
    }

    @Test
    void withOrderingOffEveryDeliveryHasItsOwnKey() {
        DeliveryLanes<String> lanes = new DeliveryLanes<>(10);
        lanes.offer("evt-1", "a");
        lanes.offer("evt-2", "b");
        assertEquals(List.of("a", "b"), started(lanes));
    }

    @Test
    void finishingAKeyThatIsNotInFlightIsABug() {
        DeliveryLanes<String> lanes = new DeliveryLanes<>(1);
        assertThrows(IllegalStateException.class, () -> lanes.done("nothing"));
        assertThrows(IllegalArgumentException.class, () -> new DeliveryLanes<String>(0));
    }
}
