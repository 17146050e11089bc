package io.keyhook.dispatcher.service;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.LogEntry;
import io.keyhook.dispatcher.view.WebhookView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The direct path: a new delivery is attempted as soon as its event is read, without a round trip through the store
 * first; only its outcome is written (in batches). What cannot go now is stored for the engine instead — held (webhook
 * paused), spilled (lane full or breaker open), or pending after a failed first attempt.
 *
 * <p>
 * Per-record order: deliveries of the same record to the same webhook form a chain; each waits for the one before it.
 * If the one before was stored open (so it will be attempted later by the engine), this one is stored too, after it,
 * and the engine's claim keeps them in order. A delivery also goes to the store when the batch's look-up found an open
 * stored delivery of its record. {@code checkedAt} is when that look-up started: a predecessor stored after it was not
 * seen by it.
 */
@ApplicationScoped
public class DirectDispatch {

    @Inject
    Lanes lanes;

    @Inject
    WebhookView webhooks;

    @Inject
    AttemptMaker attempts;

    @Inject
    DeliveryLogWriter log;

    @Inject
    MeterRegistry registry;

    private static final class Link {
        final CompletableFuture<Boolean> storedOpen = new CompletableFuture<>();
        volatile long storedAt;
    }

    private final ConcurrentHashMap<String, Link> chains = new ConcurrentHashMap<>();
    private final AtomicInteger unresolved = new AtomicInteger();
    // counters looked up once per tag value, not per delivery
    private final ConcurrentHashMap<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> stored = new ConcurrentHashMap<>();

    /**
     * Takes one new delivery. {@code openInStore}: the batch's look-up found an open stored delivery of the same record
     * for the webhook. {@code onResolved} runs once the delivery is delivered and logged, or durably stored.
     */
    public void admit(DeliveryRow row, boolean openInStore, long checkedAt, Runnable onResolved) {
        unresolved.incrementAndGet();
        Runnable resolved = () -> {
            unresolved.decrementAndGet();
            onResolved.run();
        };
        String key = row.webhookId() + '\n' + row.orderingKey();
        Link mine = new Link();
        Link before = chains.put(key, mine);
        if (before == null) {
            proceed(row, key, mine, openInStore, resolved);
            return;
        }
        before.storedOpen.whenComplete((stored, e) -> proceed(row, key, mine,
                openInStore || Boolean.TRUE.equals(stored) && before.storedAt - checkedAt >= 0, resolved));
    }

    /** Forgets stored links the look-up that started at {@code checkedAt} already saw. */
    public void forgetSeenBy(long checkedAt) {
        chains.entrySet().removeIf(e -> e.getValue().storedOpen.isDone() && e.getValue().storedAt - checkedAt < 0);
    }

    /** Deliveries admitted and not yet resolved. */
    public int unresolved() {
        return unresolved.get();
    }

    private void proceed(DeliveryRow row, String key, Link link, boolean mustStore, Runnable resolved) {
        if (DeliveryRow.HELD.equals(row.status())) {
            store(row, DeliveryRow.HELD, key, link, resolved, "held");
            return;
        }
        if (mustStore) {
            store(row, DeliveryRow.PENDING, key, link, resolved, "queued_behind_record");
            return;
        }
        boolean taken = lanes.offer(row.webhookId(), new Lanes.Task() {
            @Override
            public void start() {
                WebhookState w = webhooks.webhook(row.webhookId());
                if (w != null && w.paused()) {
                    // paused while it waited in the lane: held, not sent
                    lanes.free(row.webhookId());
                    store(row, DeliveryRow.HELD, key, link, resolved, "held");
                    return;
                }
                attempt(row, key, link, resolved);
            }

            @Override
            public void spill() {
                store(row, DeliveryRow.PENDING, key, link, resolved, "spilled");
            }
        });
        if (!taken) {
            store(row, DeliveryRow.PENDING, key, link, resolved, "spilled");
        }
    }

    private void attempt(DeliveryRow row, String key, Link link, Runnable resolved) {
        attempts.attempt(row).subscribe().with(a -> {
            lanes.release(row.webhookId(), a.delivered());
            var o = a.outcome();
            LogEntry entry = new LogEntry(row, o.status(), a.number(), o.nextAttemptAt(), o.statusCode(), o.error(),
                    a.delivered() || DeliveryRow.FAILED.equals(o.status()) ? Instant.now() : null,
                    new LogEntry.AttemptRecord(a.number(), a.startedAt(), o.latencyMs(), o.statusCode(), o.error(),
                            o.response()));
            outcomes.computeIfAbsent(o.status(),
                    st -> registry.counter("keyhook.dispatcher.deliveries", "path", "direct", "outcome", st))
                    .increment();
            if (a.delivered()) {
                // the next of the record may go at once; the log write only holds back the offset commit
                finish(key, link, false);
                log.write(entry, resolved);
            } else {
                log.write(entry, () -> {
                    finish(key, link, entry.open());
                    resolved.run();
                });
            }
        });
    }

    private void store(DeliveryRow row, String status, String key, Link link, Runnable resolved, String reason) {
        stored.computeIfAbsent(reason, r -> registry.counter("keyhook.dispatcher.deliveries.stored", "reason", r))
                .increment();
        log.write(new LogEntry(row, status, 0, Instant.now(), null, null, null, null), () -> {
            finish(key, link, true);
            resolved.run();
        });
    }

    private void finish(String key, Link link, boolean storedOpen) {
        link.storedAt = System.nanoTime();
        link.storedOpen.complete(storedOpen);
        if (!storedOpen) {
            chains.remove(key, link);
        }
    }
}
