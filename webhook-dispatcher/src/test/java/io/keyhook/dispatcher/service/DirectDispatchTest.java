package io.keyhook.dispatcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.inject.Vetoed;

import org.junit.jupiter.api.Test;

import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.DeliveryStore.Outcome;
import io.keyhook.dispatcher.persistence.LogEntry;
import io.keyhook.dispatcher.view.WebhookView;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * The direct path's per-record order, with the attempts and the log under the test's control: deliveries of one record
 * to one webhook go one after another; once one is stored open (it failed and waits for a retry) the ones behind it are
 * stored too, never sent ahead of it; other records and other webhooks do not wait.
 */
class DirectDispatchTest {

    /** Attempts the test answers one by one, in the order they were started. Not a bean of the Quarkus tests. */
    @Vetoed
    static final class ControlledAttempts extends AttemptMaker {
        final List<String> started = new CopyOnWriteArrayList<>();
        final Map<String, CompletableFuture<Attempt>> pending = new ConcurrentHashMap<>();

        ControlledAttempts() {
            // attempt() is overridden: none of the collaborators is used
            super(null, null, null, null, null, null, null, null, null, null, null);
        }

        @Override
        public Uni<Attempt> attempt(DeliveryRow d) {
            started.add(d.id());
            CompletableFuture<Attempt> f = new CompletableFuture<>();
            pending.put(d.id(), f);
            return Uni.createFrom().completionStage(f);
        }

        void answer(String id, String status) {
            pending.remove(id).complete(new Attempt(1, Instant.now(), new Outcome(status,
                    DeliveryRow.PENDING.equals(status) ? Instant.now().plusSeconds(60) : null, 200, null, null, 1)));
        }
    }

    /** The log: every entry written at once, in order. Not a bean of the Quarkus tests. */
    @Vetoed
    static final class RecordingLog extends DeliveryLogWriter {
        final List<String> written = new CopyOnWriteArrayList<>();

        @Override
        public void write(LogEntry entry, Runnable onWritten) {
            written.add(entry.row().id() + ":" + entry.status());
            onWritten.run();
        }
    }

    final ControlledAttempts attempts = new ControlledAttempts();
    final RecordingLog log = new RecordingLog();
    final AtomicInteger resolved = new AtomicInteger();
    final DirectDispatch dispatch = new DirectDispatch();

    DirectDispatchTest() {
        dispatch.lanes = LanesTest.lanes(10, 10, 100, Duration.ofMinutes(1), Duration.ofMinutes(5));
        dispatch.webhooks = new WebhookView();
        dispatch.attempts = attempts;
        dispatch.log = log;
        dispatch.registry = new SimpleMeterRegistry();
    }

    static DeliveryRow row(String id, String webhook, String record) {
        Instant now = Instant.now();
        return new DeliveryRow(id, 0, webhook, "env", "evt-" + id, "msg-" + id, "patients.updated", record, "{}",
                DeliveryRow.PENDING, 0, now, now, null);
    }

    void admit(DeliveryRow row) {
        dispatch.admit(row, false, System.nanoTime(), resolved::incrementAndGet);
    }

    @Test
    void deliveriesOfOneRecordToOneWebhookGoOneAfterAnother() {
        admit(row("a", "w1", "p-1"));
        admit(row("b", "w1", "p-1"));
        assertEquals(List.of("a"), attempts.started, "b waits for a");
        attempts.answer("a", DeliveryRow.DELIVERED);
        assertEquals(List.of("a", "b"), attempts.started, "a delivered: b goes");
        attempts.answer("b", DeliveryRow.DELIVERED);
        assertEquals(List.of("a:delivered", "b:delivered"), log.written);
        assertEquals(2, resolved.get());
        assertEquals(0, dispatch.unresolved());
    }

    @Test
    void behindAFailedOneTheRestIsStoredNotSentAhead() {
        admit(row("a", "w1", "p-1"));
        admit(row("b", "w1", "p-1"));
        admit(row("c", "w1", "p-1"));
        attempts.answer("a", DeliveryRow.PENDING); // failed: stored open, to be retried by the engine
        assertEquals(List.of("a"), attempts.started, "nothing behind a is attempted before a's retry");
        assertEquals(List.of("a:pending", "b:pending", "c:pending"), log.written,
                "b and c are stored behind it, in order (the engine's claim keeps that order)");
        assertEquals(3, resolved.get());
    }

    @Test
    void otherRecordsAndOtherWebhooksDoNotWait() {
        admit(row("a", "w1", "p-1"));
        admit(row("b", "w1", "p-2"));
        admit(row("c", "w2", "p-1"));
        assertEquals(List.of("a", "b", "c"), attempts.started);
    }

    @Test
    void anOpenStoredDeliveryOfTheRecordSendsTheNewOneToTheStore() {
        dispatch.admit(row("a", "w1", "p-1"), true, System.nanoTime(), resolved::incrementAndGet);
        assertTrue(attempts.started.isEmpty(), "the look-up found an open stored delivery of p-1: no direct attempt");
        assertEquals(List.of("a:pending"), log.written);
    }
}
