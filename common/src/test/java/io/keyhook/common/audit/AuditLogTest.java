package io.keyhook.common.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.keyhook.common.config.AuditConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

/**
 * The common writer's isolation of bad rows, without Quarkus: a store that refuses any statement holding an entry of
 * action {@code bad} for its content (SQLSTATE 22021, as PostgreSQL answers a NUL byte), the way one statement carries
 * a whole batch.
 */
class AuditLogTest {

    /** All or none per statement, like PostgreSQL's executeBatch. */
    static final class RefusingStore implements AuditStore {

        final List<AuditEntry> stored = new ArrayList<>();
        final List<Integer> statements = new ArrayList<>();
        RuntimeException outage;

        @Override
        public Uni<Void> insertAll(List<AuditEntry> entries) {
            statements.add(entries.size());
            if (outage != null) {
                return Uni.createFrom().failure(outage);
            }
            if (entries.stream().anyMatch(e -> "bad".equals(e.action()))) {
                return Uni.createFrom().failure(
                        new PgException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null));
            }
            stored.addAll(entries);
            return Uni.createFrom().voidItem();
        }
    }

    private final RefusingStore store = new RefusingStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AuditLog log = new AuditLog(store, new NoSchema(), registry);

    @Test
    void oneBadRowIsReplacedByAPlaceholderAndEveryOtherRowOfItsBatchIsWritten() {
        List<AuditEntry> batch = entries(9, 4);

        log.write(batch);

        List<String> stored = store.stored.stream().map(AuditEntry::action).toList();
        assertEquals(List.of("a0", "a1", "a2", "a3", "a5", "a6", "a7", "a8", "audit.unstorable"),
                stored.stream().sorted().toList());
        assertEquals(1.0, registry.counter("keyhook.audit.unstorable").count());
        AuditEntry placeholder = store.stored.stream().filter(e -> e.action().equals("audit.unstorable")).findFirst()
                .orElseThrow();
        assertEquals(batch.get(4).occurredAt(), placeholder.occurredAt(), "the gap is on record where it happened");
        assertEquals(batch.get(4).environment(), placeholder.environment());
    }

    @Test
    void badRowsAtBothEndsOfABatchAreEachIsolated() {
        List<AuditEntry> batch = new ArrayList<>(entries(6, -1));
        batch.set(0, entry("bad", 0));
        batch.set(5, entry("bad", 5));

        log.write(batch);

        assertEquals(List.of("a1", "a2", "a3", "a4", "audit.unstorable", "audit.unstorable"),
                store.stored.stream().map(AuditEntry::action).sorted().toList());
        assertEquals(2.0, registry.counter("keyhook.audit.unstorable").count());
    }

    @Test
    void aFailureOfTheDatabaseItselfIsPassedOnForTheBatchToBeRetriedWhole() {
        IllegalStateException lost = new IllegalStateException("Connection is closed");
        store.outage = lost;

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> log.write(entries(4, 2)));

        assertSame(lost, thrown);
        assertEquals(List.of(4), store.statements, "not split: splitting does not help a database that is away");
        assertEquals(0.0, registry.counter("keyhook.audit.unstorable").count());
    }

    @Test
    void writeNowStoresAPlaceholderForABadEntryAndQueuesOneTheDatabaseCouldNotTake() {
        log.writeNow(entry("bad", 0)).await().atMost(Duration.ofSeconds(5));
        assertEquals(List.of("audit.unstorable"), store.stored.stream().map(AuditEntry::action).toList());

        store.outage = new IllegalStateException("Connection is closed");
        log.writeNow(entry("a1", 1)).await().atMost(Duration.ofSeconds(5));
        assertEquals(1.0, registry.get("keyhook.audit.queued").gauge().value(), "kept for the writer to retry");
    }

    private static List<AuditEntry> entries(int n, int bad) {
        return IntStream.range(0, n).mapToObj(i -> entry(i == bad ? "bad" : "a" + i, i)).toList();
    }

    private static AuditEntry entry(String action, int i) {
        return AuditEntry.now("env-" + i, "admin", null, action, "webhook", "wh_" + i, "success", null);
    }

    static final class NoSchema implements AuditConfig {

        @Override
        public Optional<String> schema() {
            return Optional.empty();
        }

        @Override
        public Duration retention() {
            return Duration.ofDays(2192);
        }

        @Override
        public Duration pruneInterval() {
            return Duration.ofHours(1);
        }
    }
}
