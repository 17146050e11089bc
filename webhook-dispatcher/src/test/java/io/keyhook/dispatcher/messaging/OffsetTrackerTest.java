package io.keyhook.dispatcher.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A record is committed only once everything it owes is delivered or stored, and never out of order. */
class OffsetTrackerTest {

    static final TopicPartition P0 = new TopicPartition("keyhook.data-changes", 0);
    static final TopicPartition P1 = new TopicPartition("keyhook.data-changes", 1);

    @Test
    void theCommitPositionStopsAtTheFirstRecordStillOwingSomething() {
        OffsetTracker t = new OffsetTracker();
        OffsetTracker.Ticket a = t.track(P0, 10, 1);
        OffsetTracker.Ticket b = t.track(P0, 11, 2);
        OffsetTracker.Ticket c = t.track(P0, 12, 1);
        c.resolve();
        b.resolve();
        assertEquals(Map.of(), t.advance(), "10 still owes its delivery: nothing after it may be committed");
        a.resolve();
        assertEquals(Map.of(P0, new OffsetAndMetadata(11)), t.advance(), "11 still owes one of its two");
        b.resolve();
        assertEquals(Map.of(P0, new OffsetAndMetadata(13)), t.advance(), "past 12, which was done long ago");
        assertEquals(13L, t.committed(P0));
        assertEquals(Map.of(), t.advance(), "a position is handed out once");
    }

    @Test
    void aRecordNobodyOptedIntoIsDoneAtOnceAndPartitionsMoveIndependently() {
        OffsetTracker t = new OffsetTracker();
        OffsetTracker.Ticket slow = t.track(P0, 0, 1);
        t.track(P1, 5, 0); // dropped: owes nothing
        assertEquals(Map.of(P1, new OffsetAndMetadata(6)), t.advance(), "a slow partition holds back only itself");
        assertEquals(1, t.outstanding());
        assertFalse(t.drained(List.of(P0, P1)));
        assertTrue(t.drained(List.of(P1)));
        slow.resolve();
        assertEquals(Map.of(P0, new OffsetAndMetadata(1)), t.advance());
        assertEquals(0, t.outstanding());
    }

    @Test
    void ticketsResolvedFromManyThreadsAllCount() throws Exception {
        OffsetTracker t = new OffsetTracker();
        int records = 2000;
        int deliveries = 3;
        List<OffsetTracker.Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            tickets.add(t.track(P0, i, deliveries));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch done = new CountDownLatch(records * deliveries);
        for (OffsetTracker.Ticket ticket : tickets) {
            for (int d = 0; d < deliveries; d++) {
                pool.execute(() -> {
                    ticket.resolve();
                    done.countDown();
                });
            }
        }
        assertTrue(done.await(20, TimeUnit.SECONDS));
        pool.shutdown();
        assertEquals(Map.of(P0, new OffsetAndMetadata(records)), t.advance());
    }

    @Test
    void aRevokedPartitionIsForgotten() {
        OffsetTracker t = new OffsetTracker();
        t.track(P0, 3, 1).resolve();
        t.advance();
        t.track(P0, 4, 1);
        t.forget(List.of(P0));
        assertNull(t.committed(P0));
        assertEquals(0, t.outstanding(), "its records are the new owner's to handle");
        assertEquals(Map.of(), t.advance());
    }
}
