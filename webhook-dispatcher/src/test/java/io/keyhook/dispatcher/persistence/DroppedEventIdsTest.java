package io.keyhook.dispatcher.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Dropped event ids are bounded in memory (a flood loses ids, counted, never memory), kept once per id, and pruned with
 * the delivery log's retention.
 */
@QuarkusTest
class DroppedEventIdsTest {

    @Inject
    DroppedEventIds ids;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    private static DroppedEventIds.Dropped dropped(String env, String id, Instant at) {
        return new DroppedEventIds.Dropped(env, id, DroppedEventIds.DROPPED, "not_opted_in", "x".repeat(5000),
                "patients.updated", "p-1", "p-1", at);
    }

    @Test
    void aFloodIsBoundedAndOldIdsArePruned() {
        String env = "env-flood-" + System.nanoTime();
        double before = discarded();
        // more than the buffer holds between two writes (10,000), at once: the buffer never holds more, and each id
        // is either written or counted as discarded
        for (int i = 0; i < 10_500; i++) {
            ids.record(dropped(env, "f" + i, Instant.now()));
            assertTrue(ids.buffered() <= 10_000);
        }
        ids.flush().await().atMost(Duration.ofSeconds(60));
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from dispatcher.dropped_event_ids where environment = $1", env)
                        + Math.round(discarded() - before) == 10_500);
        // the same id again keeps the first outcome; the detail is capped
        ids.record(new DroppedEventIds.Dropped(env, "f1", DroppedEventIds.DEAD_LETTERED, "bad_data", "d", null, null,
                null, Instant.now()));
        ids.flush().await().atMost(Duration.ofSeconds(10));
        DroppedEventIds.Dropped f1 = ids.find(env, "f1").await().atMost(Duration.ofSeconds(10));
        assertNotNull(f1);
        assertEquals("not_opted_in", f1.reason());
        assertEquals(300, f1.detail().length());
        // a resource id longer than a trail keeps is left out, not cut
        ids.record(new DroppedEventIds.Dropped(env, "long", DroppedEventIds.DROPPED, "not_opted_in", null,
                "patients.updated", "s".repeat(257), "r".repeat(256), Instant.now()));
        ids.flush().await().atMost(Duration.ofSeconds(10));
        DroppedEventIds.Dropped longOne = ids.find(env, "long").await().atMost(Duration.ofSeconds(10));
        assertNull(longOne.subject());
        assertEquals(256, longOne.resourceId().length());

        String old = "env-old-" + System.nanoTime();
        ids.record(dropped(old, "gone", Instant.now().minus(31, ChronoUnit.DAYS)));
        ids.record(dropped(old, "kept", Instant.now().minus(29, ChronoUnit.DAYS)));
        ids.flush().await().atMost(Duration.ofSeconds(10));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            ids.retentionPrune().await().atMost(Duration.ofSeconds(30));
            return ids.find(old, "gone").await().atMost(Duration.ofSeconds(10)) == null;
        });
        assertNull(ids.find(old, "gone").await().atMost(Duration.ofSeconds(10)));
        assertNotNull(ids.find(old, "kept").await().atMost(Duration.ofSeconds(10)), "within the retention: kept");
    }

    @Test
    void aRowPostgresqlRefusesLosesOnlyItself() {
        String env = "env-refused-" + System.nanoTime();
        // the parser never lets a NUL through; should a row still be refused, the others of its flush are written
        ids.record(dropped(env, "bad\u0000id", Instant.now()));
        ids.record(dropped(env, "good", Instant.now()));
        ids.flush().await().atMost(Duration.ofSeconds(30));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> ids.find(env, "good").await().atMost(Duration.ofSeconds(10)) != null);
        assertEquals(0, ids.buffered(), "the refused row is not kept for ever-failing retries");
    }

    private double discarded() {
        var c = registry.find("keyhook.dispatcher.dropped_ids.discarded").counter();
        return c == null ? 0 : c.count();
    }

    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().atMost(Duration.ofSeconds(30)).iterator().next()
                .getLong(0);
    }
}
